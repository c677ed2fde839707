package io.dftune.engine.objective;

import static io.dftune.engine.objective.GradientCheck.examples;
import static io.dftune.engine.objective.GradientCheck.gradients;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The transformer's backward pass (grouped-query attention, rotary embeddings, RMSNorm, SwiGLU,
 * tied head), as the training path runs it, against central finite differences of the loss the
 * evaluation path computes without any graph.
 */
class ModelFiniteDifferenceTest {
    private static final int VOCAB = 37;
    private static final float STEP = 1e-2f;

    @Test
    void gradientsOfEveryKindOfParameterMatchFiniteDifferences() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(ModelConfig.llama(VOCAB, 16, 24, 2, 4, 2), root, 5, 0.3)) {
            Batch batch = Batch.of(examples(new Random(12), VOCAB), 0);
            long tokens = batch.responseTokenCount();
            ResponseLoss loss = new ResponseLoss(7);
            Map<String, float[]> analytic = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    loss.forwardBackward(new ResponseLoss.Step(model, null, new SftObjective(), tokens, 0), batch, c);
                }
            });
            JniUtils.setGradMode(false);
            int checked = 0;
            for (String name : List.of(
                    "model.embed_tokens.weight",
                    "model.layers.0.input_layernorm.weight",
                    "model.layers.0.self_attn.q_proj.weight",
                    "model.layers.0.self_attn.k_proj.weight",
                    "model.layers.0.self_attn.v_proj.weight",
                    "model.layers.0.self_attn.o_proj.weight",
                    "model.layers.1.post_attention_layernorm.weight",
                    "model.layers.1.mlp.gate_proj.weight",
                    "model.layers.1.mlp.up_proj.weight",
                    "model.layers.1.mlp.down_proj.weight",
                    "model.norm.weight")) {
                NDArray parameter = model.parameters().get(name);
                float[] gradient = analytic.get(name);
                for (int index : largestTwo(gradient)) {
                    float[] values = parameter.toFloatArray();
                    float original = values[index];
                    values[index] = original + STEP;
                    parameter.set(values);
                    double plus = loss.score(model, batch, new SftObjective()).objectiveLoss();
                    values[index] = original - STEP;
                    parameter.set(values);
                    double minus = loss.score(model, batch, new SftObjective()).objectiveLoss();
                    values[index] = original;
                    parameter.set(values);
                    double numeric = (plus - minus) / (2 * STEP);
                    assertThat(gradient[index])
                            .as("%s[%d]: backward %s, finite difference %s", name, index, gradient[index], numeric)
                            .isCloseTo((float) numeric, org.assertj.core.data.Offset.offset((float)
                                    (2e-3 + 2e-2 * Math.abs(numeric))));
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(22);
        }
    }

    private static int[] largestTwo(float[] values) {
        int first = 0;
        int second = 1;
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[first])) {
                second = first;
                first = i;
            } else if (i != first && Math.abs(values[i]) > Math.abs(values[second])) {
                second = i;
            }
        }
        return new int[] {first, second};
    }
}
