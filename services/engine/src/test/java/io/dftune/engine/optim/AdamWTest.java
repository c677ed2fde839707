package io.dftune.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.testing.Gradients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** torch.optim.AdamW's update rule, written out in doubles, one scalar at a time. */
    private static final class ScalarAdamW {
        double m;
        double v;
        long t;

        double step(double w, double g, double lr, double b1, double b2, double eps, double wd) {
            t++;
            w = w * (1 - lr * wd);
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = v / (1 - Math.pow(b2, t));
            return w - lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    @Test
    void matchesTorchAdamWRuleOverSeveralSteps() {
        matchesTorchAdamWRule(5, 10);
    }

    /** Large enough that the kernel splits it across threads and ends in a partial vector. */
    @Test
    void matchesTorchAdamWRuleOnATensorSplitAcrossThreads() {
        matchesTorchAdamWRule(3, 65_537);
    }

    private static void matchesTorchAdamWRule(int rows, int columns) {
        Random random = new Random(7);
        int n = rows * columns;
        double[] reference = new double[n];
        ScalarAdamW[] scalar = new ScalarAdamW[n];
        float[] initial = new float[n];
        for (int i = 0; i < n; i++) {
            initial[i] = (float) random.nextGaussian();
            reference[i] = initial[i];
            scalar[i] = new ScalarAdamW();
        }
        AdamWSettings settings = new AdamWSettings(0.9, 0.95, 1e-8, 0.1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(initial, new Shape(rows, columns));
            weight.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", weight);
            AdamW optimizer = new AdamW(params, manager.newSubManager(), settings);
            for (int step = 0; step < 5; step++) {
                float[] grad = new float[n];
                for (int i = 0; i < n; i++) {
                    grad[i] = (float) random.nextGaussian();
                }
                Gradients.set(weight, grad);
                double lr = 0.01 * (step + 1);
                optimizer.step(lr);
                for (int i = 0; i < n; i++) {
                    reference[i] = scalar[i].step(reference[i], grad[i], lr, 0.9, 0.95, 1e-8, 0.1);
                }
            }
            float[] actual = weight.toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat((double) actual[i]).as("weight %d", i).isCloseTo(reference[i], within(2e-5));
            }
            assertThat(optimizer.stepCount()).isEqualTo(5);
        }
    }

    @Test
    void restoredStateContinuesIdentically() {
        AdamWSettings settings = new AdamWSettings(0.9, 0.95, 1e-8, 0.01);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, -2f, 3f});
            NDArray b = manager.create(new float[] {1f, -2f, 3f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            AdamW first = new AdamW(Map.of("w", a), manager.newSubManager(), settings);
            Gradients.set(a, new float[] {0.5f, -1f, 2f});
            first.step(0.1);
            AdamW second = new AdamW(Map.of("w", b), manager.newSubManager(), settings);
            b.set(a.toFloatArray());
            second.restore(first.state(), first.stepCount());
            Gradients.set(a, new float[] {-0.3f, 0.2f, 0.7f});
            Gradients.set(b, new float[] {-0.3f, 0.2f, 0.7f});
            first.step(0.05);
            second.step(0.05);
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }
}
