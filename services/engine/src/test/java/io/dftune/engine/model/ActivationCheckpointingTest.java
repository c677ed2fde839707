package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.Batch;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
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
        Map<String, float[]> plain = TrainingGradients.of(model, batch, false);
        TrainingGradients.assertSame(plain, TrainingGradients.of(model, batch, true), 1e-6);
        return plain;
    }
}
