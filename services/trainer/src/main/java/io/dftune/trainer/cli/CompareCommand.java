package io.dftune.trainer.cli;

import io.dftune.engine.train.TrainingListener;
import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.experiment.ExperimentPlan;
import io.dftune.trainer.experiment.ExperimentResults;
import io.dftune.trainer.experiment.ExperimentRunner;
import io.dftune.trainer.experiment.RunKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dftune compare experiment.yaml}: fine-tunes every arm of an experiment and tabulates the scores. */
@Command(
        name = "compare",
        description =
                "Compare objectives: run an experiment file (arms x learning rates x seeds) and write its tables.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "Experiment file")
    Path experimentFile;

    @Override
    public Integer call() throws Exception {
        ExperimentPlan plan = ExperimentPlan.load(experimentFile);
        ExperimentResults results = new ExperimentRunner(plan, new ExperimentRunner.Progress() {
                    @Override
                    public void message(String text) {
                        System.out.println(text);
                    }

                    @Override
                    public TrainingListener runStarting(RunKey key, int index, int total) {
                        System.out.printf("%n[%d/%d] %s%n", index, total, key.label());
                        return new ProgressDisplay(System.out, key.arm());
                    }
                })
                .run();
        results.write();
        System.out.println();
        System.out.println(Files.readString(plan.output().resolve("results.md")));
        System.out.println("tables in " + plan.output().resolve("results.md") + ", curves in "
                + plan.output().resolve("curves.png"));
        return ExitCodes.SUCCEEDED;
    }
}
