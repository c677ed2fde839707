package io.dftune.trainer.cli;

import io.dftune.spec.run.ErrorText;
import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.server.TrainerApplication;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dftune serve}: the trainer service of a FineTuneJob pod (gRPC, /q/metrics, /q/health). */
@Command(
        name = "serve",
        description = {
            "Start the trainer service: gRPC (Trainer, health, reflection), /q/metrics and /q/health.",
            "With a job it trains at once, resuming from the newest valid checkpoint, and exits when the run ends",
            "(0 succeeded, 1 failed, 3 cancelled, 75 stopped by SIGTERM after a checkpoint);",
            "without one it waits for StartRun."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--job",
            paramLabel = "JOB.yaml",
            description = "FineTuneJob manifest to run (default: the dftune.job-file setting, env DFTUNE_JOB_FILE).")
    Path job;

    @Option(
            names = "--grace-seconds",
            description =
                    "On SIGTERM, how long the step and the checkpoint may take (default: dftune.stop-grace-period, 120s).")
    Long graceSeconds;

    @Override
    public Integer call() {
        // Quarkus reads its configuration from system properties, among others.
        if (job != null) {
            System.setProperty("dftune.job-file", job.toAbsolutePath().toString());
        }
        if (graceSeconds != null) {
            System.setProperty("dftune.stop-grace-period", graceSeconds + "s");
        }
        int[] exitCode = {ExitCodes.FAILED};
        Quarkus.run(TrainerApplication.class, (code, failure) -> {
            exitCode[0] = failure == null ? code : ExitCodes.FAILED;
            if (failure != null) {
                System.err.println("dftune: " + ErrorText.oneLine(failure));
            }
        });
        return exitCode[0];
    }
}
