package io.dftune.engine.train;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A run's one stop request: the first reason given wins; any thread may ask, the run's thread reads it. */
final class StopRequest {
    private final AtomicReference<RunOutcome> reason = new AtomicReference<>();

    void request(RunOutcome why) {
        reason.compareAndSet(null, why);
    }

    Optional<RunOutcome> reason() {
        return Optional.ofNullable(reason.get());
    }
}
