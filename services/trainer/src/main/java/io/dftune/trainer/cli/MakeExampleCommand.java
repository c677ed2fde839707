package io.dftune.trainer.cli;

import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.example.ExampleBuilder;
import io.dftune.trainer.example.MiniatureData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dftune make-example}: re-creates the bundled example's data and base model. */
@Command(name = "make-example", description = "Re-create the bundled example (data sets and pretrained base model).")
final class MakeExampleCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            defaultValue = "examples/arithmetic",
            description = "Target folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed for data and weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pretrain-steps", defaultValue = "3000", description = "Default: ${DEFAULT-VALUE}.")
    int pretrainSteps;

    @Option(names = "--word-problem-share", description = "Share of word problems in the pretraining mix.")
    Double wordProblemShare;

    @Option(names = "--max-operand", description = "Largest operand of the exercises.")
    Integer maxOperand;

    @Option(names = "--terse", description = "One solution style instead of varied phrasings and step orders.")
    boolean terse;

    @Option(names = "--miniature", description = "Write the data sets of the paper miniature instead.")
    boolean miniature;

    @Option(names = "--data-only", description = "Re-create only train.jsonl and eval.jsonl, keeping the model.")
    boolean dataOnly;

    @Override
    public Integer call() throws Exception {
        ExampleBuilder.ExampleSizes sizes = ExampleBuilder.ExampleSizes.standard();
        if (wordProblemShare != null) {
            sizes = sizes.withWordProblemShare(wordProblemShare);
        }
        if (maxOperand != null) {
            sizes = sizes.withMaxOperand(maxOperand);
        }
        sizes = sizes.withVariedSolutions(!terse);
        if (miniature) {
            new MiniatureData(
                            seed, sizes.maxOperand(), sizes.widerOperand(), sizes.trainExamples(), sizes.evalExamples())
                    .write(out);
            System.out.println("paper miniature data written to " + out);
            return ExitCodes.SUCCEEDED;
        }
        ExampleBuilder builder = new ExampleBuilder(seed, pretrainSteps, sizes);
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
