package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.testing.RealConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The config.json of released models parse to their published geometry; the parameter counts are
 * the ones their model cards and safetensors metadata give (Qwen3's cards round them: 0.6B with
 * 0.44B non-embedding, 8.2B with 6.95B non-embedding).
 */
class RealConfigsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, architecture, vocab, hidden, intermediate, layers, heads, kv heads, head_dim, tied,
        // rope type, theta, factor, window (0: none), q/k/v bias, q/k norm, parameters
        "Llama-3.2-1B, LLAMA, 128256, 2048, 8192, 16, 32, 8, 64, true, LLAMA3, 500000, 32, 0, false, false, 1235814400",
        "Llama-3.2-1B.transformers5, LLAMA, 128256, 2048, 8192, 16, 32, 8, 64, true, LLAMA3, 500000, 32, 0, false, false,"
                + " 1235814400",
        "Llama-3.2-3B, LLAMA, 128256, 3072, 8192, 28, 24, 8, 128, true, LLAMA3, 500000, 32, 0, false, false, 3212749824",
        "Llama-3.1-8B, LLAMA, 128256, 4096, 14336, 32, 32, 8, 128, false, LLAMA3, 500000, 8, 0, false, false, 8030261248",
        "SmolLM2-135M, LLAMA, 49152, 576, 1536, 30, 9, 3, 64, true, DEFAULT, 100000, 1, 0, false, false, 134515008",
        "Qwen2.5-0.5B, QWEN2, 151936, 896, 4864, 24, 14, 2, 64, true, DEFAULT, 1000000, 1, 0, true, false, 494032768",
        "Qwen2.5-1.5B, QWEN2, 151936, 1536, 8960, 28, 12, 2, 128, true, DEFAULT, 1000000, 1, 0, true, false, 1543714304",
        "Qwen2.5-7B, QWEN2, 152064, 3584, 18944, 28, 28, 4, 128, false, DEFAULT, 1000000, 1, 0, true, false, 7615616512",
        "Qwen2.5-Math-1.5B, QWEN2, 151936, 1536, 8960, 28, 12, 2, 128, true, DEFAULT, 10000, 1, 0, true, false,"
                + " 1543714304",
        "Qwen3-0.6B, QWEN3, 151936, 1024, 3072, 28, 16, 8, 128, true, DEFAULT, 1000000, 1, 0, false, true, 596049920",
        "Qwen3-8B, QWEN3, 151936, 4096, 12288, 36, 32, 8, 128, false, DEFAULT, 1000000, 1, 0, false, true, 8190735360",
        "Mistral-7B-v0.1, MISTRAL, 32000, 4096, 14336, 32, 32, 8, 128, false, DEFAULT, 10000, 1, 4096, false, false,"
                + " 7241732096",
        "Mistral-7B-v0.3, MISTRAL, 32768, 4096, 14336, 32, 32, 8, 128, false, DEFAULT, 1000000, 1, 0, false, false,"
                + " 7248023552",
    })
    void parsesToThePublishedGeometry(
            String name,
            Architecture architecture,
            int vocab,
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int headDim,
            boolean tied,
            RopeSettings.Type ropeType,
            double theta,
            double factor,
            int window,
            boolean qkvBias,
            boolean qkNorm,
            long parameters) {
        ModelConfig c = ModelConfig.fromJson(RealConfigs.json(name));
        assertThat(c.architecture()).isEqualTo(architecture);
        assertThat(c.vocabSize()).isEqualTo(vocab);
        assertThat(c.hiddenSize()).isEqualTo(hidden);
        assertThat(c.intermediateSize()).isEqualTo(intermediate);
        assertThat(c.numHiddenLayers()).isEqualTo(layers);
        assertThat(c.numAttentionHeads()).isEqualTo(heads);
        assertThat(c.numKeyValueHeads()).isEqualTo(kvHeads);
        assertThat(c.headDim()).isEqualTo(headDim);
        assertThat(c.tieWordEmbeddings()).isEqualTo(tied);
        assertThat(c.rope().type()).isEqualTo(ropeType);
        assertThat(c.rope().theta()).isEqualTo(theta);
        assertThat(c.rope().factor()).isEqualTo(factor);
        assertThat(c.slidingWindow().orElse(0)).isEqualTo(window);
        assertThat(c.attentionQkvBias()).isEqualTo(qkvBias);
        assertThat(c.attentionOutputBias()).isFalse();
        assertThat(c.mlpBias()).isFalse();
        assertThat(c.qkNorm()).isEqualTo(qkNorm);
        assertThat(c.parameterCount()).isEqualTo(parameters);
    }

    @Test
    void llama3ScalingFieldsAreReadFromBothLayouts() {
        for (String name : new String[] {"Llama-3.2-1B", "Llama-3.2-1B.transformers5"}) {
            RopeSettings rope = ModelConfig.fromJson(RealConfigs.json(name)).rope();
            assertThat(rope).as(name).isEqualTo(new RopeSettings(500000, RopeSettings.Type.LLAMA3, 32, 1, 4, 8192));
        }
        assertThat(ModelConfig.fromJson(RealConfigs.json("Llama-3.2-1B.transformers5"))
                        .torchDtype())
                .isEqualTo("bfloat16");
    }

    @Test
    void qwen3ProjectsQueriesWiderThanTheHiddenSizeAndNormalisesEachHead() {
        ModelConfig c = ModelConfig.fromJson(RealConfigs.json("Qwen3-0.6B"));
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.q_proj.weight"))
                .containsExactly(2048, 1024);
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.o_proj.weight"))
                .containsExactly(1024, 2048);
        assertThat(c.parameterShapes().get("model.layers.27.self_attn.q_norm.weight"))
                .containsExactly(128);
        assertThat(c.parameterShapes().get("model.layers.27.self_attn.k_norm.weight"))
                .containsExactly(128);
        assertThat(c.parameterShapes()).doesNotContainKey("lm_head.weight");
    }
}
