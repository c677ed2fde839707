package io.dftune.trainer.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The data sets of the paper miniature, written next to its experiment file: the fine-tuning task
 * (two-step word problems) with varied and with terse solutions (the same problems), a validation
 * set for choosing the learning rate, an in-distribution test set, three out-of-distribution sets
 * (larger numbers, the steps in the other order, three steps: skills the base has as questions or
 * expressions but rarely or never saw as stories) and the base model's own exercises (questions and
 * expressions, for forgetting).
 */
public final class MiniatureData {
    private final long seed;
    private final int maxOperand;
    private final int widerOperand;
    private final int trainExamples;
    private final int evalExamples;

    /** Operands up to {@code maxOperand}; the larger-numbers set uses those above it up to {@code widerOperand}. */
    public MiniatureData(long seed, int maxOperand, int widerOperand, int trainExamples, int evalExamples) {
        this.seed = seed;
        this.maxOperand = maxOperand;
        this.widerOperand = widerOperand;
        this.trainExamples = trainExamples;
        this.evalExamples = evalExamples;
    }

    public void write(Path out) throws IOException {
        Files.createDirectories(out);
        ProblemFiles.write(
                out.resolve("train.jsonl"),
                ProblemFiles.generate(inRange(11, true)::wordProblem, trainExamples),
                false);
        ProblemFiles.write(
                out.resolve("train-terse.jsonl"),
                ProblemFiles.generate(inRange(11, false)::wordProblem, trainExamples),
                false);
        writeEval(out, "validation.jsonl", inRange(12, true)::wordProblem);
        writeEval(out, "test-in-distribution.jsonl", inRange(13, true)::wordProblem);
        ArithmeticProblems larger = new ArithmeticProblems(seed + 14, maxOperand + 1, widerOperand, true);
        writeEval(out, "test-larger-numbers.jsonl", larger::wordProblem);
        writeEval(out, "test-take-away-first.jsonl", inRange(15, true)::lossFirstWordProblem);
        writeEval(out, "test-three-steps.jsonl", inRange(16, true)::threeStepWordProblem);
        ArithmeticProblems baseTask = inRange(17, true);
        List<Problem> base = new ArrayList<>();
        for (int i = 0; i < evalExamples; i++) {
            base.add(
                    switch (i % 4) {
                        case 0 -> baseTask.equation();
                        case 1 -> baseTask.chain();
                        case 2 -> baseTask.lossFirstChain();
                        default -> baseTask.threeStepChain();
                    });
        }
        ProblemFiles.write(out.resolve("test-base-task.jsonl"), base, true);
    }

    private ArithmeticProblems inRange(long offset, boolean varied) {
        return new ArithmeticProblems(seed + offset, 1, maxOperand, varied);
    }

    private void writeEval(Path out, String name, Supplier<Problem> source) throws IOException {
        ProblemFiles.write(out.resolve(name), ProblemFiles.generate(source, evalExamples), true);
    }
}
