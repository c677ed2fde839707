package io.dftune.engine.objective;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.model.CausalLm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test support for objective gradients: parameter gradients after a backward pass, and the
 * full-logits computations ([B, T, V] log-softmax, one-hot selection) that the chunked training
 * path is checked against.
 */
final class GradientCheck {
    private GradientCheck() {}

    static List<TrainingExample> examples(Random random, int vocab) {
        return examples(random, vocab, 12, 5, 9, 16);
    }

    /** Random examples of the given lengths, each trained after a random prompt of at most half its length. */
    static List<TrainingExample> examples(Random random, int vocab, int... lengths) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int length : lengths) {
            int[] ids = new int[length];
            int[] mask = new int[length];
            int prompt = 1 + random.nextInt(length / 2);
            for (int t = 0; t < length; t++) {
                ids[t] = 1 + random.nextInt(vocab - 1);
                mask[t] = t >= prompt ? 1 : 0;
            }
            examples.add(new TrainingExample(ids, mask, null, null));
        }
        return examples;
    }

    /** Full [B, T, V] log-softmax of a model over a batch. */
    static NDArray fullLogProbs(CausalLm model, Batch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        return model.logits(model.hiddenStates(ids)).logSoftmax(-1);
    }

    /** log p of every target, from full [B, T, V] logits selected with a one-hot mask. */
    static NDArray fullTargetLogProbs(CausalLm model, Batch batch, NDManager scope) {
        NDArray logProbs = fullLogProbs(model, batch, scope);
        int vocab = (int) logProbs.getShape().get(2);
        int rows = batch.inputIds().length;
        int width = batch.inputIds()[0].length;
        float[] select = new float[rows * width * vocab];
        for (int b = 0; b < rows; b++) {
            for (int t = 1; t < width; t++) {
                if (batch.completionMask()[b][t] == 1) {
                    select[(b * width + t - 1) * vocab + batch.inputIds()[b][t]] = 1f;
                }
            }
        }
        NDArray mask = scope.create(select, logProbs.getShape());
        NDArray picked = logProbs.mul(mask).sum(new int[] {2});
        NDArray targetMask = scope.create(select, logProbs.getShape()).sum(new int[] {2});
        return picked.get(targetMask.toType(DataType.BOOLEAN, false));
    }

    /**
     * Sum over the positions that predict a response token of KL(reference || model) over the
     * whole vocabulary, from both models' full logits.
     */
    static NDArray fullResponseKlSum(CausalLm model, CausalLm reference, Batch batch, NDManager scope) {
        NDArray ids = scope.create(batch.inputIds());
        NDArray logProbs = model.logits(model.hiddenStates(ids)).logSoftmax(-1);
        NDArray referenceLogits = reference.logits(reference.hiddenStates(ids)).stopGradient();
        NDArray referenceProbs = referenceLogits.softmax(-1);
        NDArray perPosition =
                referenceProbs.mul(referenceLogits.logSoftmax(-1).sub(logProbs)).sum(new int[] {2});
        int rows = batch.inputIds().length;
        int width = batch.inputIds()[0].length;
        float[] predictsResponse = new float[rows * width];
        for (int b = 0; b < rows; b++) {
            for (int t = 1; t < width; t++) {
                if (batch.completionMask()[b][t] == 1) {
                    predictsResponse[b * width + t - 1] = 1f;
                }
            }
        }
        return perPosition
                .mul(scope.create(predictsResponse, new Shape(rows, width)))
                .sum();
    }

    static NDArray scalar(NDManager scope, double value) {
        return scope.full(new Shape(), (float) value);
    }

    static Map<String, float[]> gradients(CausalLm model, Runnable backward) {
        model.setTrainable(true);
        model.releaseGradients();
        backward.run();
        Map<String, float[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : model.trainableParameters().entrySet()) {
            try (NDArray g = p.getValue().getGradient()) {
                result.put(p.getKey(), g.toFloatArray());
            }
        }
        return result;
    }

    static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected, double tolerance) {
        for (String name : expected.keySet()) {
            float[] a = actual.get(name);
            float[] e = expected.get(name);
            double scale = 0;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).as("gradient of %s is not trivially zero", name).isGreaterThan(1e-7);
            for (int i = 0; i < e.length; i++) {
                assertThat((double) Math.abs(a[i] - e[i]))
                        .as("%s[%d]", name, i)
                        .isLessThanOrEqualTo(tolerance * Math.max(1, scale) + 1e-7);
            }
        }
    }

    static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        double worst = 0;
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                worst = Math.max(worst, Math.abs(a.get(name)[i] - b.get(name)[i]));
            }
        }
        return worst;
    }
}
