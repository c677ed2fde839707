package io.dftune.trainer.server;

import io.dftune.trainer.grpc.EventStreams;
import io.dftune.trainer.service.PreemptionHook;
import io.dftune.trainer.service.TrainerConfig;
import io.dftune.trainer.service.TrainingSession;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * {@code dftune serve}: with a job file the process lives as long as the run and exits with its
 * code; without one it serves until stopped.
 */
public class TrainerApplication implements QuarkusApplication {
    private static final Duration LAST_EVENTS_GRACE = Duration.ofSeconds(2);

    @Inject
    TrainerConfig config;

    @Inject
    TrainingSession session;

    @Inject
    EventStreams streams;

    @Override
    public int run(String... args) throws InterruptedException {
        PreemptionHook.install(session, config.stopGracePeriod(), () -> streams.awaitDelivered(LAST_EVENTS_GRACE));
        if (config.jobFile().isPresent()) {
            session.awaitEnd();
            streams.awaitDelivered(LAST_EVENTS_GRACE);
        } else {
            Quarkus.waitForExit();
        }
        return session.exitCode();
    }
}
