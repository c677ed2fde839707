package io.dftune.trainer.cli;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.Objectives;
import io.dftune.engine.train.FineTuneRun;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.TrainingResources;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.SpecValidator;
import io.dftune.trainer.EngineStartup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dftune run job.yaml}: the whole FineTuneJob in this process, resuming where it left off. */
@Command(name = "run", description = "Run a FineTuneJob manifest locally (paths on local disk).")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB.yaml", description = "FineTuneJob manifest")
    Path jobFile;

    @Option(
            names = "--grace-seconds",
            defaultValue = "120",
            description =
                    "On SIGTERM, how long to wait for the step and checkpoint to finish (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Option(names = "--loss-chunk-tokens", defaultValue = "1024", hidden = true)
    int lossChunkTokens;

    @Override
    public Integer call() {
        FineTuneJob job = FineTuneJobFiles.load(jobFile);
        SpecValidator.validateOrThrow(job.getSpec());
        Objective objective =
                Objectives.create(job.getSpec().getObjective(), job.getSpec().getTraining());
        try (NDManager root = EngineStartup.newBaseManager();
                TrainingResources resources = TrainingResources.open(job.getSpec(), root)) {
            System.out.println(ComputeSetup.describe());
            FineTuneRun run = new FineTuneRun(job.getSpec(), resources, objective, lossChunkTokens);
            RunResult result;
            try (GracefulStop stop = new GracefulStop(run, graceSeconds)) {
                result = run.run(new ProgressDisplay(System.out, objective.name()));
            }
            return result.outcome().exitCode();
        }
    }
}
