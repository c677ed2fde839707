package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import java.util.LinkedHashMap;
import java.util.Map;

/** The trainable tensors' gradients of one DFT training pass, and their comparison. */
final class TrainingGradients {
    private TrainingGradients() {}

    static Map<String, float[]> of(CausalLm model, Batch batch, boolean checkpointing) {
        model.setTrainable(true);
        model.releaseGradients();
        ResponseLoss.Step step = new ResponseLoss.Step(
                model, null, new DftObjective(), batch.responseTokenCount(), 0.5, checkpointing, 77);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            new ResponseLoss(5).forwardBackward(step, batch, collector);
        }
        Map<String, float[]> result = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : model.trainableParameters().entrySet()) {
            result.put(p.getKey(), p.getValue().getGradient().toFloatArray());
        }
        return result;
    }

    /** Every tensor's gradient non-zero in {@code expected} and within {@code relative} of its largest element. */
    static void assertSame(Map<String, float[]> expected, Map<String, float[]> actual, double relative) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
            float[] a = expected.get(name);
            float[] b = actual.get(name);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertThat(scale).as("%s has a gradient", name).isPositive();
            assertThat(worst / scale).as("relative difference of %s", name).isLessThanOrEqualTo(relative);
        }
    }
}
