package io.dftune.trainer.cli;

import io.dftune.trainer.example.ExampleBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dftune make-example}: re-creates the bundled example's data and base model. */
@Command(name = "make-example", description = "Re-create the bundled example (data sets and pretrained base model).")
final class MakeExampleCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "examples/arithmetic", description = "Target folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pretrain-steps", defaultValue = "3000", description = "Default: ${DEFAULT-VALUE}.")
    int pretrainSteps;

    @Option(names = "--data-only", description = "Re-create only train.jsonl and eval.jsonl, keeping the model.")
    boolean dataOnly;

    @Override
    public Integer call() throws Exception {
        ExampleBuilder builder = new ExampleBuilder(seed, pretrainSteps, ExampleBuilder.ExampleSizes.standard());
        if (dataOnly) {
            builder.writeFineTuningData(out);
            System.out.println("data written to " + out);
            return ExitCodes.SUCCEEDED;
        }
        Path work = Files.createTempDirectory("dftune-example-");
        builder.build(out, work, new ProgressDisplay(System.out, "pretrain"));
        System.out.println("example written to " + out + " (intermediate files in " + work + ")");
        return ExitCodes.SUCCEEDED;
    }
}
