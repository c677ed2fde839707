package io.dftune.engine.objective;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.optim.GradientClipping;
import io.dftune.engine.train.ResponseLoss;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Gradients of the objectives as the training path computes them (chunked, against detached hidden
 * states, normalised over the step) against a separately written full-logits computation.
 */
class ObjectiveGradientTest {
    private static final int VOCAB = 61;

    @Test
    void dftGradientEqualsGradientOfMinusMeanProbability() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2), root, 3, 0.3)) {
            List<TrainingExample> examples = examples(new Random(9));
            Batch batch = Batch.of(examples, 0);
            long n = batch.responseTokenCount();

            Map<String, float[]> viaTraining = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(5).forwardBackward(model, batch, n, new DftObjective(), c, 0);
                }
            });
            Map<String, float[]> viaProbability = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector();
                        NDManager scope = root.newSubManager()) {
                    NDArray targetProbabilities = fullTargetLogProbs(model, batch, scope).exp();
                    c.backward(targetProbabilities.sum().neg().div(scope.full(new ai.djl.ndarray.types.Shape(), n)));
                }
            });
            assertClose(viaTraining, viaProbability, 2e-6);

            Map<String, float[]> sft = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(5).forwardBackward(model, batch, n, new SftObjective(), c, 0);
                }
            });
            assertThat(maxDifference(sft, viaProbability)).as("SFT and DFT gradients differ").isGreaterThan(1e-3);
        }
    }

    @Test
    void updateDoesNotDependOnTheMicroBatchSplit() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2), root, 4, 0.3)) {
            List<TrainingExample> examples = examples(new Random(10));
            Batch whole = Batch.of(examples, 0);
            long n = whole.responseTokenCount();
            Map<String, float[]> oneBatch = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(1024).forwardBackward(model, whole, n, new DftObjective(), c, 0);
                }
            });
            Map<String, float[]> perExample = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    for (TrainingExample e : examples) {
                        new ResponseLoss(1024).forwardBackward(model, Batch.of(List.of(e), 0), n, new DftObjective(), c, 0);
                    }
                }
            });
            assertClose(oneBatch, perExample, 1e-6);

            // Dividing each micro-batch by its own token count (the official code's bug) is detectably different.
            Map<String, float[]> perMicroBatchMean = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    for (TrainingExample e : examples) {
                        Batch single = Batch.of(List.of(e), 0);
                        new ResponseLoss(1024).forwardBackward(model, single, single.responseTokenCount(),
                                new DftObjective(), c, 0);
                    }
                }
            });
            assertThat(maxDifference(oneBatch, perMicroBatchMean)).isGreaterThan(1e-4);
        }
    }

    /** log p of every target, from full [B, T, V] logits selected with a one-hot mask. */
    private static NDArray fullTargetLogProbs(CausalLm model, Batch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        NDArray logProbs = model.logits(model.hiddenStates(ids)).logSoftmax(-1);
        int rows = batch.inputIds().length;
        int width = batch.inputIds()[0].length;
        float[] select = new float[rows * width * VOCAB];
        for (int b = 0; b < rows; b++) {
            for (int t = 1; t < width; t++) {
                if (batch.completionMask()[b][t] == 1) {
                    select[(b * width + t - 1) * VOCAB + batch.inputIds()[b][t]] = 1f;
                }
            }
        }
        NDArray mask = scope.create(select, logProbs.getShape());
        NDArray picked = logProbs.mul(mask).sum(new int[] {2});
        NDArray targetMask = scope.create(select, logProbs.getShape()).sum(new int[] {2});
        return picked.get(targetMask.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false));
    }

    private static Map<String, float[]> gradients(CausalLm model, Runnable backward) {
        model.setTrainable(true);
        GradientClipping.zero(model.trainableParameters(), model.manager());
        backward.run();
        Map<String, float[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
            try (NDArray g = p.getValue().getGradient()) {
                result.put(p.getKey(), g.toFloatArray());
            }
        }
        return result;
    }

    private static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected, double tolerance) {
        for (String name : expected.keySet()) {
            float[] a = actual.get(name);
            float[] e = expected.get(name);
            double scale = 0;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as("gradient of %s is not trivially zero", name).isGreaterThan(1e-7);
            for (int i = 0; i < e.length; i++) {
                assertThat((double) Math.abs(a[i] - e[i])).as("%s[%d]", name, i).isLessThanOrEqualTo(tolerance * Math.max(1, scale) + 1e-7);
            }
        }
    }

    private static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                worst = Math.max(worst, Math.abs(a.get(name)[i] - b.get(name)[i]));
            }
        }
        return worst;
    }

    private static List<TrainingExample> examples(Random random) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int length : new int[] {12, 5, 9, 16}) {
            int[] ids = new int[length];
            int[] mask = new int[length];
            int prompt = 1 + random.nextInt(length / 2);
            for (int t = 0; t < length; t++) {
                ids[t] = 1 + random.nextInt(VOCAB - 1);
                mask[t] = t >= prompt ? 1 : 0;
            }
            examples.add(new TrainingExample(ids, mask, null, null));
        }
        return examples;
    }
}
