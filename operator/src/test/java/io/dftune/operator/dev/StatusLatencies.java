package io.dftune.operator.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How long each training step took to show in the FineTuneJob's status: from the trainer's step
 * event to the first status seen whose progress step is that step or a later one (rate limiting
 * may skip a step, and then the newer step that replaces it is what the user sees).
 */
final class StatusLatencies {
    /** A step event as the trainer stamped it. */
    record StepEvent(long step, Instant time) {}

    /** A FineTuneJob status as a watcher received it. */
    record StatusSeen(Instant time, long step) {}

    private StatusLatencies() {}

    /**
     * One latency per step event whose step a status showed; steps never shown are left out (and
     * counted by the caller as events minus latencies).
     */
    static List<Duration> of(List<StepEvent> events, List<StatusSeen> statuses) {
        List<Duration> latencies = new ArrayList<>();
        for (StepEvent event : events) {
            statuses.stream()
                    .filter(s -> s.step() >= event.step())
                    .map(StatusSeen::time)
                    .min(Instant::compareTo)
                    .ifPresent(seen -> latencies.add(Duration.between(event.time(), seen)));
        }
        return latencies;
    }

    /** The q-quantile (0..1) by the nearest-rank method. */
    static Duration quantile(List<Duration> latencies, double q) {
        if (latencies.isEmpty()) {
            throw new IllegalArgumentException("no latencies");
        }
        List<Duration> sorted = latencies.stream().sorted().toList();
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
