package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gradients with activation checkpointing equal those of the plain pass (float32, 1e-6 relative). */
class ActivationCheckpointingTest {
    private static final ModelConfig CONFIG = ModelConfig.llama(61, 32, 48, 3, 4, 2);

    @Test
    void fullFineTuningGradientsAreThoseOfThePlainPass() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(CONFIG, root, 3, 0.3)) {
            assertSameGradients(model);
        }
    }

    @Test
    void loraGradientsWithDropoutAreThoseOfThePlainPass() {
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(4);
        spec.setDropout(0.2);
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(CONFIG, root, 3, 0.3)) {
            LoraAdapter adapter = LoraAdapter.initialize(CONFIG, spec, root, 9);
            adapter.parameters()
                    .values()
                    .forEach(t -> t.addi(root.randomNormal(t.getShape()).muli(0.2f)));
            model.attachAdapter(adapter);
            Map<String, float[]> plain = assertSameGradients(model);
            assertThat(plain).containsOnlyKeys(adapter.parameters().keySet());
        }
    }

    /** Returns the plain pass's gradients after checking the checkpointed pass gives the same. */
    private static Map<String, float[]> assertSameGradients(CausalLm model) {
        Batch batch = Batch.of(CausalLmReferenceTest.randomExamples(new Random(4), 61), 0);
        Map<String, float[]> plain = gradients(model, batch, false);
        Map<String, float[]> checkpointed = gradients(model, batch, true);
        assertThat(checkpointed.keySet()).isEqualTo(plain.keySet());
        for (String name : plain.keySet()) {
            float[] a = plain.get(name);
            float[] b = checkpointed.get(name);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertThat(scale).as("%s has a gradient", name).isPositive();
            assertThat(worst / scale).as("relative difference of %s", name).isLessThanOrEqualTo(1e-6);
        }
        return plain;
    }

    private static Map<String, float[]> gradients(CausalLm model, Batch batch, boolean checkpointing) {
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
}
