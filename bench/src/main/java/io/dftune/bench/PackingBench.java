package io.dftune.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.Batcher;
import io.dftune.engine.data.PackingBatcher;
import io.dftune.engine.data.StepBatcher;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.objective.DftObjective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

/**
 * Packing against padding: trained tokens per second of the engine's optimizer step with the same model and the
 * same examples (lengths drawn lognormal, median 200 and 95th percentile 900 tokens, max length 1024), and each
 * example's loss and gradient in a packed row against the padded batch.
 */
final class PackingBench {
    static final double SPEED_TARGET = 1.4;
    static final double EQUALITY_TARGET = 1e-6;
    private static final int MAX_LENGTH = 1024;
    private static final double MEDIAN = 200;
    private static final double P95 = 900;

    private PackingBench() {}

    static final class Speed implements Benchmark {
        @Override
        public ObjectNode run(Context context) {
            return context.child("packing", "6g", List.of(Boolean.toString(context.quick())));
        }
    }

    static ObjectNode child(String[] args) {
        boolean quick = Boolean.parseBoolean(args[0]);
        ModelConfig config = quick ? BenchModels.tiny() : BenchModels.headline();
        int batchSize = quick ? 4 : 16;
        int micro = 4;
        int warmup = quick ? 1 : 2;
        int rounds = quick ? 2 : 8;
        int maxLength = quick ? 128 : MAX_LENGTH;
        Random random = new Random(BenchModels.SEED);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < batchSize * (warmup + rounds); i++) {
            examples.add(example(random, config.vocabSize(), lognormalLength(random, maxLength)));
        }
        Doc doc = new Doc("Packing: trained tokens/s, packed vs padded");
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = BenchModels.initialize(config, manager);
            EngineTrainer trainer = new EngineTrainer(model, new DftObjective());
            StepBatcher padded = new Batcher(examples, 0, micro);
            StepBatcher packed = new PackingBatcher(examples, 0, maxLength, micro);
            int[] round = {0, 0};
            long[] tokens = new long[warmup + rounds];
            long[] forwardTokens = new long[2];
            Map<String, DoubleSupplier> variants = new LinkedHashMap<>();
            variants.put("padded", () -> step(trainer, padded, batchSize, round, 0, tokens, forwardTokens));
            variants.put("packed", () -> step(trainer, packed, batchSize, round, 1, tokens, forwardTokens));
            Interleaved timing = Interleaved.run(warmup, rounds, variants);
            long measured = Arrays.stream(tokens).skip(warmup).sum();
            Samples paddedRate = rates(timing.seconds("padded"), tokens, warmup);
            Samples packedRate = rates(timing.seconds("packed"), tokens, warmup);
            // Same tokens in both variants of a round: the rate ratio is the inverse of the time ratio.
            Samples speedups = inverse(timing.roundRatios("packed"));
            double speedup = speedups.median();
            doc.line(
                    "Model %s parameters, DFT; each round one optimizer step of %d examples (%d real tokens per step "
                            + "on average) in micro-batches of %d, lengths drawn lognormal (median %.0f, 95th "
                            + "percentile %.0f tokens, cut at %d); both variants train the same examples in a round "
                            + "(the full engine step: forward, chunked loss, backward, clipping, AdamW), alternating "
                            + "order, %d warm-up rounds discarded, %d measured. Padded: %d examples per micro-batch, "
                            + "right-padded to the longest; packed: rows of %d tokens, %d rows per micro-batch. "
                            + "Tokens through the model over all rounds: padded %d (padding included), packed %d.%n",
                    TrainingSpeedBench.compact(config.parameterCount()),
                    batchSize,
                    measured / rounds,
                    micro,
                    MEDIAN,
                    P95,
                    maxLength,
                    warmup,
                    rounds,
                    micro,
                    maxLength,
                    micro,
                    forwardTokens[0],
                    forwardTokens[1]);
            doc.table(
                    List.of("batches", "trained tokens/s: median (IQR, range, n)"),
                    List.of(
                            List.of("padded", paddedRate.describe("%.0f")),
                            List.of("packed", packedRate.describe("%.0f"))));
            doc.line(
                    "Packed / padded trained tokens/s: **%.2f** (median of the rounds' ratios: %s); ratio of "
                            + "medians %.2f.%n",
                    speedup, speedups.describe("%.2f"), packedRate.median() / paddedRate.median());
            doc.summary(
                    "trained tokens/s, packed / padded (lognormal lengths, maxLength 1024)",
                    Doc.f("%.2f", speedup),
                    ">= " + SPEED_TARGET,
                    speedup >= SPEED_TARGET);
            doc.data().put("speedup", speedup);
            doc.data().set("padded_tokens_per_second", paddedRate.toJson());
            doc.data().set("packed_tokens_per_second", packedRate.toJson());

            Equality equality = equality(model, examples.subList(0, quick ? 4 : 8), maxLength);
            doc.line(
                    "Equality: %d of these examples (%d tokens), each scored alone in a packed row set (%d rows) "
                            + "and in the padded batch of all of them, float32, same model: per-token NLL and the "
                            + "gradient of the example's summed NLL over every parameter. Largest relative "
                            + "difference over the examples: losses %.2e, gradients %.2e (||packed - padded|| / "
                            + "||padded||).%n",
                    equality.examples, equality.tokens, equality.rows, equality.loss, equality.gradient);
            doc.summary(
                    "per-example loss and gradient, packed vs unpacked (float32, relative)",
                    Doc.f("%.1e / %.1e", equality.loss, equality.gradient),
                    "<= 1e-6",
                    Math.max(equality.loss, equality.gradient) <= EQUALITY_TARGET);
            doc.data().put("loss_relative_difference", equality.loss);
            doc.data().put("gradient_relative_difference", equality.gradient);
        }
        return doc.finish();
    }

    /** Lognormal with the benchmark's median and 95th percentile, cut to [8, max]. */
    private static int lognormalLength(Random random, int max) {
        double sigma = Math.log(P95 / MEDIAN) / 1.6448536;
        double length = Math.exp(Math.log(MEDIAN) + sigma * random.nextGaussian());
        return (int) Math.max(8, Math.min(max, Math.round(length)));
    }

    /** Random tokens; the first quarter is the prompt, the rest trained. */
    private static TrainingExample example(Random random, int vocab, int length) {
        int[] ids = new int[length];
        int[] mask = new int[length];
        for (int t = 0; t < length; t++) {
            ids[t] = 1 + random.nextInt(vocab - 1);
            mask[t] = t >= Math.max(1, length / 4) ? 1 : 0;
        }
        return new TrainingExample(ids, mask, null, null);
    }

    private static double step(
            EngineTrainer trainer,
            StepBatcher batcher,
            int batchSize,
            int[] round,
            int variant,
            long[] tokens,
            long[] forwardTokens) {
        int r = round[variant]++;
        int[] indices = IntStream.range(r * batchSize, (r + 1) * batchSize).toArray();
        List<Batch> microBatches = batcher.microBatches(indices);
        tokens[r] = microBatches.stream().mapToLong(Batch::tokenCount).sum();
        forwardTokens[variant] += microBatches.stream()
                .mapToLong(b -> (long) b.size() * b.width())
                .sum();
        return trainer.step(microBatches);
    }

    private static Samples rates(Samples seconds, long[] tokens, int warmup) {
        Samples out = new Samples();
        List<Double> values = seconds.values();
        for (int i = 0; i < values.size(); i++) {
            out.add(tokens[warmup + i] / values.get(i));
        }
        return out;
    }

    private static Samples inverse(Samples ratios) {
        Samples out = new Samples();
        ratios.values().forEach(r -> out.add(1 / r));
        return out;
    }

    private record Equality(int examples, long tokens, int rows, double loss, double gradient) {}

    private static Equality equality(CausalLm model, List<TrainingExample> examples, int maxLength) {
        int[] all = IntStream.range(0, examples.size()).toArray();
        List<Batch> packedBatches = new PackingBatcher(examples, 0, maxLength, examples.size()).microBatches(all);
        Batch packed = packedBatches.get(0);
        Batch padded = Batch.of(examples, 0);
        double loss = 0;
        double gradient = 0;
        for (int e = 0; e < examples.size(); e++) {
            int[] where = locate(packed, examples, e);
            Scores a = scores(model, packed, where[0], where[1], examples.get(e));
            Scores b = scores(model, padded, e, 0, examples.get(e));
            loss = Math.max(loss, relative(a.losses, b.losses));
            gradient = Math.max(gradient, relative(a.gradient, b.gradient));
        }
        long tokens = examples.stream().mapToLong(TrainingExample::length).sum();
        return new Equality(examples.size(), tokens, packed.size(), loss, gradient);
    }

    /** Row and offset of example {@code e} in the packed batch (examples are told apart by identity). */
    private static int[] locate(Batch packed, List<TrainingExample> examples, int e) {
        TrainingExample ex = examples.get(e);
        for (int row = 0; row < packed.size(); row++) {
            int offset = 0;
            for (int length : packed.segments()[row]) {
                if (length == ex.length()
                        && Arrays.equals(
                                Arrays.copyOfRange(packed.inputIds()[row], offset, offset + length), ex.inputIds())) {
                    return new int[] {row, offset};
                }
                offset += length;
            }
        }
        throw new IllegalStateException("example " + e + " is not in the packed batch");
    }

    private record Scores(float[] losses, float[] gradient) {}

    private static Scores scores(CausalLm model, Batch batch, int row, int offset, TrainingExample ex) {
        model.releaseGradients();
        float[] losses;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(batch.inputIds());
            NDArray hidden = model.hiddenStates(ids, batch.isPacked() ? batch.segments() : null);
            List<Long> positions = new ArrayList<>();
            List<Long> targets = new ArrayList<>();
            for (int t = 1; t < ex.length(); t++) {
                if (ex.completionMask()[t] == 1) {
                    positions.add((long) row * batch.width() + offset + t - 1);
                    targets.add((long) ex.inputIds()[t]);
                }
            }
            NDArray flat = hidden.reshape(-1, hidden.getShape().get(2));
            NDArray selected = Embedding.embedding(
                            scope.create(positions.stream()
                                    .mapToLong(Long::longValue)
                                    .toArray()),
                            flat,
                            SparseFormat.DENSE)
                    .head();
            NDArray logProbs = model.logits(selected).logSoftmax(-1);
            NDArray picked = logProbs.gather(
                    scope.create(targets.stream().mapToLong(Long::longValue).toArray())
                            .reshape(targets.size(), 1),
                    1);
            NDArray nll = picked.neg().reshape(targets.size());
            losses = nll.stopGradient().toFloatArray();
            collector.backward(nll.sum());
        }
        NDList gradients = new NDList();
        for (NDArray p : model.trainableParameters().values()) {
            gradients.add(p.getGradient().flatten());
        }
        float[] gradient;
        try (NDArray all = ai.djl.ndarray.NDArrays.concat(gradients)) {
            gradient = all.toFloatArray();
        }
        gradients.close();
        return new Scores(losses, gradient);
    }

    private static double relative(float[] actual, float[] expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - expected[i], 2);
            norm += Math.pow(expected[i], 2);
        }
        return Math.sqrt(diff / norm);
    }
}
