package io.dftune.trainer.cli;

import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.train.LaunchedRun;
import io.dftune.engine.train.RunLauncher;
import io.dftune.engine.train.RunResult;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.LocalVolumes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(
            names = "--volume",
            paramLabel = "CLAIM=DIR",
            description = "A local folder for the claim of pvc://CLAIM/... paths (repeatable), to run a cluster's"
                    + " FineTuneJob (kubectl get ftj NAME -o yaml) as it is.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--loss-chunk-tokens", hidden = true)
    int lossChunkTokens = ResponseLoss.DEFAULT_CHUNK_TOKENS;

    @Override
    public Integer call() {
        FineTuneJob job = FineTuneJobFiles.load(jobFile);
        LocalVolumes.parse(volumes).apply(job.getSpec());
        try (LaunchedRun run = new RunLauncher(lossChunkTokens).prepare(job.getSpec());
                GracefulStop stop = new GracefulStop(run, graceSeconds)) {
            RunResult result = run.run(new ProgressDisplay(System.out, run.objectiveName()));
            return result.outcome().exitCode();
        }
    }
}
