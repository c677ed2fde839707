package io.dftune.trainer.server;

import io.dftune.trainer.grpc.EventStreams;
import io.dftune.trainer.service.PreemptionHook;
import io.dftune.trainer.service.TerminationReport;
import io.dftune.trainer.service.TrainerConfig;
import io.dftune.trainer.service.TrainingSession;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * {@code dftune serve}: with a job file the process lives as long as the run and exits with its
 * code, leaving the run's final status as its termination message ({@link TerminationReport});
 * without one it serves until stopped.
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
        PreemptionHook.install(session, config.stopGracePeriod(), this::reportEnd);
        if (config.jobFile().isPresent()) {
            session.awaitEnd();
            reportEnd();
        } else {
            Quarkus.waitForExit();
        }
        return session.exitCode();
    }

    /** The run's last status to the termination message, and its last events to the watchers still connected. */
    private void reportEnd() {
        config.terminationMessagePath().ifPresent(file -> TerminationReport.write(session.status(), file));
        streams.awaitDelivered(LAST_EVENTS_GRACE);
    }
}
