package io.dftune.trainer.example;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.tokenizer.ByteLevelTokenizerFiles;
import io.dftune.engine.train.LaunchedRun;
import io.dftune.engine.train.RunLauncher;
import io.dftune.engine.train.RunOutcome;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.TrainingListener;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-creates the bundled example: data sets, a byte-level BPE tokenizer, and a small Llama-layout
 * base model pretrained here, with SFT through the same engine, on arithmetic exercises written as
 * questions and expressions (one to three steps, in either order) with stories rare: word problems
 * (the fine-tuning task) and, rarer, stories of other shapes. The base then solves part of the
 * task, which DFT needs to build on, and a little of the other stories.
 */
public final class ExampleBuilder {
    private final long seed;
    private final int pretrainSteps;
    private final ExampleSizes sizes;

    /**
     * Model and data sizes of the example, and its pretraining mix: word problems (the fine-tuning
     * task) and stories of other shapes are rare; questions use operands up to
     * {@link #widerOperand()}, everything else up to {@code maxOperand}.
     */
    public record ExampleSizes(
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int merges,
            int pretrainExamples,
            int trainExamples,
            int evalExamples,
            double wordProblemShare,
            double otherStoryShare,
            int maxOperand,
            boolean variedSolutions) {
        public static ExampleSizes standard() {
            return new ExampleSizes(128, 384, 4, 4, 2, 200, 30000, 2000, 200, 0.01, 0.006, 20, true);
        }

        public int widerOperand() {
            return maxOperand * 3 / 2;
        }

        public ExampleSizes withWordProblemShare(double share) {
            return new ExampleSizes(
                    hidden,
                    intermediate,
                    layers,
                    heads,
                    kvHeads,
                    merges,
                    pretrainExamples,
                    trainExamples,
                    evalExamples,
                    share,
                    otherStoryShare,
                    maxOperand,
                    variedSolutions);
        }

        public ExampleSizes withMaxOperand(int operand) {
            return new ExampleSizes(
                    hidden,
                    intermediate,
                    layers,
                    heads,
                    kvHeads,
                    merges,
                    pretrainExamples,
                    trainExamples,
                    evalExamples,
                    wordProblemShare,
                    otherStoryShare,
                    operand,
                    variedSolutions);
        }

        public ExampleSizes withVariedSolutions(boolean varied) {
            return new ExampleSizes(
                    hidden,
                    intermediate,
                    layers,
                    heads,
                    kvHeads,
                    merges,
                    pretrainExamples,
                    trainExamples,
                    evalExamples,
                    wordProblemShare,
                    otherStoryShare,
                    maxOperand,
                    varied);
        }
    }

    public ExampleBuilder(long seed, int pretrainSteps, ExampleSizes sizes) {
        this.seed = seed;
        this.pretrainSteps = pretrainSteps;
        this.sizes = sizes;
    }

    /** Writes the fine-tuning sets {@code train.jsonl} and {@code eval.jsonl} into {@code out}. */
    public void writeFineTuningData(Path out) throws IOException {
        Files.createDirectories(out);
        ArithmeticProblems trainSource = problems(seed + 1);
        ArithmeticProblems evalSource = problems(seed + 2);
        ProblemFiles.write(
                out.resolve("train.jsonl"),
                ProblemFiles.generate(trainSource::wordProblem, sizes.trainExamples()),
                false);
        ProblemFiles.write(
                out.resolve("eval.jsonl"), ProblemFiles.generate(evalSource::wordProblem, sizes.evalExamples()), true);
    }

    /** Writes the fine-tuning data and a freshly pretrained {@code model/} into {@code out}. */
    public void build(Path out, Path work, TrainingListener progress) throws IOException {
        writeFineTuningData(out);
        Files.createDirectories(work);
        ArithmeticProblems pretrainSource = problems(seed);
        ArithmeticProblems widerEquations = new ArithmeticProblems(seed + 3, 1, sizes.widerOperand(), true);
        List<Problem> pretrain = new ArrayList<>();
        for (int i = 0; i < sizes.pretrainExamples(); i++) {
            double kind = (i % 1000) / 1000.0;
            double storiesEnd = sizes.wordProblemShare() + sizes.otherStoryShare();
            pretrain.add(
                    kind < sizes.wordProblemShare()
                            ? pretrainSource.wordProblem()
                            : kind < storiesEnd
                                    ? (i % 2 == 0
                                            ? pretrainSource.lossFirstWordProblem()
                                            : pretrainSource.threeStepWordProblem())
                                    : kind < 0.45
                                            ? widerEquations.equation()
                                            : kind < 0.75
                                                    ? pretrainSource.chain()
                                                    : kind < 0.875
                                                            ? pretrainSource.lossFirstChain()
                                                            : pretrainSource.threeStepChain());
        }
        ProblemFiles.write(work.resolve("pretrain.jsonl"), pretrain, false);

        Path initial = work.resolve("initial");
        ByteLevelTokenizerFiles.Written tokenizer = ByteLevelTokenizerFiles.builder()
                .specialTokens("<|endoftext|>", "<|im_start|>", "<|im_end|>")
                .eosToken("<|im_end|>")
                .padToken("<|endoftext|>")
                .chatTemplate(ByteLevelTokenizerFiles.CHATML_TEMPLATE)
                .trainMerges(corpus(pretrain), sizes.merges())
                .write(initial);
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA)
                .sizes(
                        tokenizer.vocabSize(),
                        sizes.hidden(),
                        sizes.intermediate(),
                        sizes.layers(),
                        sizes.heads(),
                        sizes.kvHeads())
                .tieWordEmbeddings(true)
                .maxPositionEmbeddings(512)
                .eosTokenIds(List.of(tokenizer.specialTokenIds().get("<|im_end|>")))
                .build();
        try (NDManager root = EngineStartup.newBaseManager();
                CausalLm model = ModelInitializer.initialize(config, root, seed, 0.02)) {
            ModelDirectory.save(model, initial, initial);
        }
        Path pretrainOutput = work.resolve("pretrain-output");
        AtomicDirectory.deleteRecursively(pretrainOutput);
        RunResult result = pretrain(work, pretrainOutput, progress);
        if (result.outcome() != RunOutcome.SUCCEEDED) {
            throw new IllegalStateException("pretraining stopped: " + result.outcome());
        }
        Path finalModel = result.finalModel();
        AtomicDirectory.write(out.resolve("model"), dir -> {
            try (var files = Files.list(finalModel)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
        });
    }

    private ArithmeticProblems problems(long problemSeed) {
        return new ArithmeticProblems(problemSeed, 1, sizes.maxOperand(), sizes.variedSolutions());
    }

    private RunResult pretrain(Path work, Path output, TrainingListener progress) {
        String yaml = String.join(
                "\n",
                "apiVersion: dftune.io/v1alpha1",
                "kind: FineTuneJob",
                "metadata: {name: example-base-pretraining}",
                "spec:",
                "  model: {path: initial}",
                "  data: {train: pretrain.jsonl}",
                "  objective: {type: sft}",
                "  training: {maxSteps: " + pretrainSteps + ", batchSize: 32, maxLength: 128, learningRate: 3e-3,",
                "             schedule: cosine, warmupRatio: 0.05, weightDecay: 0.01, seed: " + seed + "}",
                "  checkpoint: {everySteps: 0, keep: 1}",
                "  output: {path: " + work.relativize(output) + "}",
                "");
        FineTuneJob job = FineTuneJobFiles.parse(yaml, work);
        try (LaunchedRun run = new RunLauncher().prepare(job.getSpec())) {
            return run.run(progress);
        }
    }

    private static String corpus(List<Problem> problems) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(problems.size(), 5000); i++) {
            text.append(problems.get(i).prompt())
                    .append('\n')
                    .append(problems.get(i).response())
                    .append('\n');
        }
        return text.toString();
    }
}
