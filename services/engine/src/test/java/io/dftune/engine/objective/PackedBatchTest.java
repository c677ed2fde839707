package io.dftune.engine.objective;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.PackingBatcher;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.LoraAdapter;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Packed rows against the unpacked (padded) computation, in float32: every example's per-token losses and the
 * gradient of its loss must be those it has in a padded batch to 1e-6 (relative), and so must a whole step of
 * every objective.
 */
class PackedBatchTest {
    private static final int VOCAB = 61;
    private static final double TOLERANCE = 1e-6;

    /** Lengths chosen so that rows hold two and three examples and one row is padded. */
    private static final int[] LENGTHS = {13, 7, 22, 5, 11, 9, 17};

    @Test
    void everyExampleInAPackedRowHasTheLossesAndGradientsItHasAlone() {
        ModelConfig llama = ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2);
        ModelConfig windowed = ModelConfig.builder(Architecture.MISTRAL)
                .sizes(VOCAB, 32, 64, 2, 4, 2)
                .slidingWindow(6)
                .build();
        for (ModelConfig config : List.of(llama, windowed)) {
            try (NDManager root = NDManager.newBaseManager();
                    CausalLm model = ModelInitializer.initialize(config, root, 5, 0.3)) {
                List<TrainingExample> examples = examples(new Random(21));
                List<List<TrainingExample>> rows = List.of(
                        List.of(examples.get(0), examples.get(1), examples.get(3)),
                        List.of(examples.get(2), examples.get(4)),
                        List.of(examples.get(5)),
                        List.of(examples.get(6)));
                Batch packed = Batch.packed(rows, 0);
                assertThat(packed.isPacked()).isTrue();
                Batch unpacked = Batch.of(examples, 0);
                int[][] where = {{0, 0}, {0, 13}, {1, 0}, {0, 20}, {1, 22}, {2, 0}, {3, 0}};
                for (int e = 0; e < examples.size(); e++) {
                    TrainingExample ex = examples.get(e);
                    int example = e;
                    int row = where[e][0];
                    int offset = where[e][1];
                    Scored expected =
                            score(model, unpacked, scope -> exampleLogProbs(model, unpacked, example, 0, ex, scope));
                    Scored actual =
                            score(model, packed, scope -> exampleLogProbs(model, packed, row, offset, ex, scope));
                    String what = config.architecture() + " example " + e;
                    assertRelativelyClose(actual.tokenLosses(), expected.tokenLosses(), TOLERANCE, what + " losses");
                    assertRelativelyClose(actual.gradient(), expected.gradient(), TOLERANCE, what + " gradient");
                    // Alone in a batch of one the example differs from both by float32 summation order only.
                    Batch alone = Batch.of(List.of(ex), 0);
                    Scored single = score(model, alone, scope -> exampleLogProbs(model, alone, 0, 0, ex, scope));
                    assertRelativelyClose(actual.gradient(), single.gradient(), 10 * TOLERANCE, what + " alone");
                }
            }
        }
    }

    @Test
    void aPackedStepEqualsAnUnpackedStepForEveryObjective() {
        ModelConfig config = ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2);
        List<Objective> objectives = List.of(
                new SftObjective(),
                new DftObjective(),
                new AsftObjective(0.1),
                new ProbQObjective(0.5),
                new DftPowerObjective(0.5, 0.5));
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(config, root, 7, 0.3);
                CausalLm reference = ModelInitializer.initialize(config, root, 8, 0.3)) {
            reference.setTrainable(false);
            List<TrainingExample> examples = examples(new Random(4));
            int[] all = IntStream.range(0, examples.size()).toArray();
            List<Batch> unpacked = List.of(Batch.of(examples.subList(0, 4), 0), Batch.of(examples.subList(4, 7), 0));
            List<Batch> packed = new PackingBatcher(examples, 0, 32, 2).microBatches(all);
            assertThat(packed).allMatch(Batch::isPacked);
            assertThat(packed.stream().mapToInt(Batch::size).sum()).isLessThan(examples.size());
            long n = unpacked.stream().mapToLong(Batch::responseTokenCount).sum();
            assertThat(packed.stream().mapToLong(Batch::responseTokenCount).sum())
                    .isEqualTo(n);
            for (Objective objective : objectives) {
                ResponseLoss.Step step =
                        new ResponseLoss.Step(model, objective.needsReference() ? reference : null, objective, n, 0.3);
                TokenStats[] stats = new TokenStats[2];
                Map<String, float[]> viaUnpacked =
                        GradientCheck.gradients(model, () -> stats[0] = step(step, unpacked));
                Map<String, float[]> viaPacked = GradientCheck.gradients(model, () -> stats[1] = step(step, packed));
                assertRelativelyClose(
                        flatten(viaPacked), flatten(viaUnpacked), TOLERANCE, objective.name() + " gradient");
                assertRelativelyClose(
                        new float[] {(float) stats[1].objectiveLoss(), (float) stats[1].nll()},
                        new float[] {(float) stats[0].objectiveLoss(), (float) stats[0].nll()},
                        TOLERANCE,
                        objective.name() + " loss and NLL");
                assertThat(stats[1].tokens()).isEqualTo(stats[0].tokens());
            }
        }
    }

    /** Packing under a LoRA adapter (A and B non-zero) with activation checkpointing. */
    @Test
    void aPackedStepEqualsAnUnpackedStepWithLoraAndCheckpointing() {
        ModelConfig config = ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2);
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(4);
        spec.setDropout(0.0);
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(config, root, 7, 0.3)) {
            LoraAdapter adapter = LoraAdapter.initialize(config, spec, root, 3);
            Random random = new Random(5);
            for (NDArray p : adapter.parameters().values()) {
                float[] values = new float[(int) p.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.2);
                }
                p.set(values);
            }
            model.attachAdapter(adapter);
            List<TrainingExample> examples = examples(new Random(4));
            int[] all = IntStream.range(0, examples.size()).toArray();
            List<Batch> unpacked = List.of(Batch.of(examples.subList(0, 4), 0), Batch.of(examples.subList(4, 7), 0));
            List<Batch> packed = new PackingBatcher(examples, 0, 32, 2).microBatches(all);
            long n = unpacked.stream().mapToLong(Batch::responseTokenCount).sum();
            ResponseLoss.Step step = new ResponseLoss.Step(model, null, new DftObjective(), n, 0.3, true, 11);
            Map<String, float[]> viaUnpacked = GradientCheck.gradients(model, () -> step(step, unpacked));
            Map<String, float[]> viaPacked = GradientCheck.gradients(model, () -> step(step, packed));
            assertThat(viaPacked.keySet()).allMatch(name -> name.contains("lora_"));
            assertRelativelyClose(flatten(viaPacked), flatten(viaUnpacked), TOLERANCE, "adapter gradient");
        }
    }

    private static TokenStats step(ResponseLoss.Step step, List<Batch> microBatches) {
        TokenStats stats = new TokenStats();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (Batch batch : microBatches) {
                stats.add(new ResponseLoss(7).forwardBackward(step, batch, collector));
            }
        }
        return stats;
    }

    private record Scored(float[] tokenLosses, float[] gradient) {}

    /** Per-token NLL of one example and the gradient of their sum, from the given log-probabilities. */
    private static Scored score(CausalLm model, Batch batch, Function<NDManager, NDArray> logProbs) {
        float[][] losses = new float[1][];
        Map<String, float[]> gradient = GradientCheck.gradients(model, () -> {
            try (GradientCollector c = Engine.getInstance().newGradientCollector();
                    NDManager scope = model.manager().newSubManager()) {
                NDArray nll = logProbs.apply(scope).neg();
                losses[0] = nll.stopGradient().toFloatArray();
                c.backward(nll.sum());
            }
        });
        return new Scored(losses[0], flatten(gradient));
    }

    /**
     * log p of each trained token of {@code ex}, which sits in {@code row} of {@code batch} from {@code offset},
     * from the full log-softmax of the model (packed rows through hiddenStates with their segments).
     */
    private static NDArray exampleLogProbs(
            CausalLm model, Batch batch, int row, int offset, TrainingExample ex, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        NDArray hidden = model.hiddenStates(ids, batch.isPacked() ? batch.segments() : null);
        NDArray logProbs = model.logits(hidden).logSoftmax(-1);
        List<NDArray> picked = new ArrayList<>();
        for (int t = 1; t < ex.length(); t++) {
            if (ex.completionMask()[t] == 1) {
                picked.add(logProbs.get(row, offset + t - 1, ex.inputIds()[t]).reshape(1));
            }
        }
        return ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(picked));
    }

    private static List<TrainingExample> examples(Random random) {
        return GradientCheck.examples(random, VOCAB, LENGTHS);
    }

    private static float[] flatten(Map<String, float[]> gradients) {
        int size = gradients.values().stream().mapToInt(g -> g.length).sum();
        float[] out = new float[size];
        int at = 0;
        for (float[] g : gradients.values()) {
            System.arraycopy(g, 0, out, at, g.length);
            at += g.length;
        }
        return out;
    }

    /**
     * ||actual - expected|| <= tolerance ||expected||, and every element within 10 tolerance of the largest
     * (float32 sums in another order differ by a few ulp; a token that sees one wrong key differs by far more).
     */
    private static void assertRelativelyClose(float[] actual, float[] expected, double tolerance, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double diff = 0;
        double norm = 0;
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += Math.pow(actual[i] - expected[i], 2);
            norm += Math.pow(expected[i], 2);
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(norm).as(what + " is not zero").isGreaterThan(0);
        assertThat(Math.sqrt(diff / norm)).as(what + ": relative difference").isLessThanOrEqualTo(tolerance);
        assertThat(worst / largest).as(what + ": largest element difference").isLessThanOrEqualTo(10 * tolerance);
    }
}
