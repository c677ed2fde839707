package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.testing.RealConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    static final String LLAMA2_7B =
            """
      {"_name_or_path": "meta-llama/Llama-2-7b-hf", "architectures": ["LlamaForCausalLM"], "bos_token_id": 1,
       "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02,
       "intermediate_size": 11008, "max_position_embeddings": 4096, "model_type": "llama",
       "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32, "pretraining_tp": 1,
       "rms_norm_eps": 1e-05, "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "float16",
       "transformers_version": "4.31.0.dev0", "use_cache": true, "vocab_size": 32000}
      """;

    static final String QWEN25_05B =
            """
      {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
       "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
       "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21, "model_type": "qwen2",
       "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
       "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
       "transformers_version": "4.43.1", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
      """;

    @TempDir
    Path dir;

    private static ModelConfig llamaWith(String field, Object value) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(LLAMA2_7B);
        json.set(field, new ObjectMapper().valueToTree(value));
        return ModelConfig.fromJson(json);
    }

    @Test
    void parsesALlamaConfigWithDefaults() {
        ModelConfig c = ModelConfig.parse(LLAMA2_7B);
        assertThat(c.architecture()).isEqualTo(Architecture.LLAMA);
        assertThat(c.vocabSize()).isEqualTo(32000);
        assertThat(c.hiddenSize()).isEqualTo(4096);
        assertThat(c.intermediateSize()).isEqualTo(11008);
        assertThat(c.numHiddenLayers()).isEqualTo(32);
        assertThat(c.numKeyValueHeads()).isEqualTo(32);
        assertThat(c.headDim()).isEqualTo(128);
        assertThat(c.rmsNormEps()).isEqualTo(1e-5);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.tieWordEmbeddings()).isFalse();
        assertThat(c.attentionQkvBias()).isFalse();
        assertThat(c.attentionOutputBias()).isFalse();
        assertThat(c.mlpBias()).isFalse();
        assertThat(c.maxPositionEmbeddings()).isEqualTo(4096);
        assertThat(c.bosTokenId()).isEqualTo(1);
        assertThat(c.eosTokenIds()).containsExactly(2);
        assertThat(c.torchDtype()).isEqualTo("float16");
        assertThat(c.parameterCount()).isEqualTo(6_738_415_616L);
    }

    @Test
    void parsesAQwen2ConfigWithBiasesAndTiedEmbeddings() {
        ModelConfig c = ModelConfig.parse(QWEN25_05B);
        assertThat(c.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.numKeyValueHeads()).isEqualTo(2);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
        assertThat(c.tieWordEmbeddings()).isTrue();
        assertThat(c.attentionQkvBias()).isTrue();
        assertThat(c.attentionOutputBias()).isFalse();
        assertThat(c.eosTokenIds()).containsExactly(151645);
        Map<String, long[]> shapes = c.parameterShapes();
        assertThat(shapes.get("model.layers.3.self_attn.k_proj.weight")).containsExactly(128, 896);
        assertThat(shapes.get("model.layers.3.self_attn.k_proj.bias")).containsExactly(128);
        assertThat(shapes)
                .doesNotContainKeys(
                        "model.layers.3.self_attn.o_proj.bias", "lm_head.weight", "model.layers.3.mlp.up_proj.bias");
        assertThat(c.parameterCount()).isEqualTo(494_032_768L); // Qwen2.5-0.5B's published count
    }

    @Test
    void llamaBiasesFollowAttentionBiasAndMlpBias() {
        ModelConfig c = ModelConfig.builder(Architecture.LLAMA)
                .sizes(11, 8, 12, 1, 2, 1)
                .attentionBias(true)
                .mlpBias(true)
                .build();
        Map<String, long[]> shapes = c.parameterShapes();
        assertThat(shapes.keySet())
                .containsExactly(
                        "model.embed_tokens.weight",
                        "model.layers.0.input_layernorm.weight",
                        "model.layers.0.self_attn.q_proj.weight",
                        "model.layers.0.self_attn.q_proj.bias",
                        "model.layers.0.self_attn.k_proj.weight",
                        "model.layers.0.self_attn.k_proj.bias",
                        "model.layers.0.self_attn.v_proj.weight",
                        "model.layers.0.self_attn.v_proj.bias",
                        "model.layers.0.self_attn.o_proj.weight",
                        "model.layers.0.self_attn.o_proj.bias",
                        "model.layers.0.post_attention_layernorm.weight",
                        "model.layers.0.mlp.gate_proj.weight",
                        "model.layers.0.mlp.gate_proj.bias",
                        "model.layers.0.mlp.up_proj.weight",
                        "model.layers.0.mlp.up_proj.bias",
                        "model.layers.0.mlp.down_proj.weight",
                        "model.layers.0.mlp.down_proj.bias",
                        "model.norm.weight",
                        "lm_head.weight");
        assertThat(shapes.get("model.layers.0.self_attn.k_proj.weight")).containsExactly(4, 8);
        assertThat(shapes.get("model.layers.0.self_attn.o_proj.weight")).containsExactly(8, 8);
        assertThat(shapes.get("model.layers.0.mlp.down_proj.weight")).containsExactly(8, 12);
        assertThat(shapes.get("model.layers.0.mlp.down_proj.bias")).containsExactly(8);
        assertThat(shapes.get("lm_head.weight")).containsExactly(11, 8);
    }

    @Test
    void explicitHeadDimSetsProjectionShapes() {
        ModelConfig c = ModelConfig.builder(Architecture.LLAMA)
                .sizes(10, 8, 16, 1, 4, 2)
                .headDim(6)
                .build();
        assertThat(c.toJson().get("head_dim").asInt()).isEqualTo(6);
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.q_proj.weight"))
                .containsExactly(24, 8);
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.o_proj.weight"))
                .containsExactly(8, 24);
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.v_proj.weight"))
                .containsExactly(12, 8);
        assertThat(ModelConfig.llama(10, 8, 16, 1, 4, 2).toJson().has("head_dim"))
                .isFalse();
    }

    @Test
    void fallsBackToModelType() throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(QWEN25_05B);
        json.remove("architectures");
        assertThat(ModelConfig.fromJson(json).architecture()).isEqualTo(Architecture.QWEN2);
    }

    @Test
    void rejectsOtherArchitecturesNamingTheSupportedOnes() throws Exception {
        assertThatThrownBy(() -> llamaWith("architectures", List.of("Gemma2ForCausalLM")))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("architecture Gemma2ForCausalLM is not supported")
                .hasMessageContaining("LlamaForCausalLM")
                .hasMessageContaining("Qwen2ForCausalLM")
                .hasMessageContaining("Qwen3ForCausalLM")
                .hasMessageContaining("MistralForCausalLM");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(LLAMA2_7B);
        json.remove("architectures");
        json.put("model_type", "gpt2");
        assertThatThrownBy(() -> ModelConfig.fromJson(json))
                .hasMessageContaining("model_type gpt2 is not supported")
                .hasMessageContaining("qwen3");
        json.remove("model_type");
        assertThatThrownBy(() -> ModelConfig.fromJson(json))
                .hasMessageContaining("neither architectures nor model_type");
    }

    @Test
    void readsDefaultLinearAndLlama3RopeAndRefusesTheOthersNamingTheSupportedOnes() throws Exception {
        assertThat(llamaWith("rope_scaling", Map.of("type", "default")).rope()).isEqualTo(RopeSettings.plain(10000.0));
        assertThat(llamaWith("rope_scaling", Map.of("type", "linear", "factor", 2.0))
                        .rope())
                .isEqualTo(new RopeSettings(10000.0, RopeSettings.Type.LINEAR, 2.0, 0, 0, 0));
        Map<String, Object> llama3 =
                Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0, "high_freq_factor", 4.0);
        // transformers 5 fills original_max_position_embeddings in from max_position_embeddings
        assertThat(llamaWith("rope_scaling", llama3).rope())
                .isEqualTo(new RopeSettings(10000.0, RopeSettings.Type.LLAMA3, 8.0, 1.0, 4.0, 4096));
        assertThatThrownBy(() -> llamaWith("rope_scaling", Map.of("rope_type", "yarn", "factor", 4.0)))
                .isInstanceOf(ModelConfigException.class)
                .hasMessage("rope_scaling type \"yarn\" is not supported (supported: default, linear, llama3)");
        assertThatThrownBy(() -> llamaWith("rope_scaling", Map.of("type", "dynamic", "factor", 2.0)))
                .hasMessageContaining("\"dynamic\" is not supported");
        assertThatThrownBy(() -> llamaWith("rope_scaling", Map.of("factor", 2.0)))
                .hasMessageContaining("rope_scaling has a factor but no rope_type");
        assertThatThrownBy(() -> llamaWith("rope_scaling", Map.of("type", "linear")))
                .hasMessage("rope_scaling.factor is missing");
        assertThatThrownBy(() -> llamaWith("rope_scaling", Map.of("rope_type", "llama3", "factor", 8.0)))
                .hasMessage("rope_scaling.low_freq_factor is missing");
        assertThatThrownBy(() -> llamaWith(
                        "rope_scaling",
                        Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 4.0, "high_freq_factor", 4.0)))
                .hasMessage(
                        "rope_scaling.high_freq_factor (4.0) must be greater than rope_scaling.low_freq_factor (4.0)");
        assertThatThrownBy(() -> llamaWith("rope_scaling", List.of(1)))
                .hasMessageContaining("rope_scaling must be null or an object");
        assertThatThrownBy(() -> llamaWith("partial_rotary_factor", 0.5))
                .hasMessageContaining("partial_rotary_factor is not supported");
    }

    @Test
    void readsTheTransformers5RopeLayout() throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(QWEN25_05B);
        json.remove("rope_theta");
        json.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 5e5);
        assertThat(ModelConfig.fromJson(json).ropeTheta()).isEqualTo(5e5);
        // a theta inside rope_parameters wins over a top-level one; a missing one falls back to it
        json.put("rope_theta", 7.0);
        assertThat(ModelConfig.fromJson(json).ropeTheta()).isEqualTo(5e5);
        ((ObjectNode) json.get("rope_parameters")).remove("rope_theta");
        assertThat(ModelConfig.fromJson(json).ropeTheta()).isEqualTo(7.0);
        ((ObjectNode) json.get("rope_parameters")).put("rope_type", "linear");
        assertThatThrownBy(() -> ModelConfig.fromJson(json)).hasMessage("rope_parameters.factor is missing");
    }

    @Test
    void appliesEachArchitecturesDefaultsForMissingFields() throws Exception {
        ObjectNode qwen3 = (ObjectNode) new ObjectMapper().readTree(QWEN25_05B);
        qwen3.putArray("architectures").add("Qwen3ForCausalLM");
        qwen3.remove("num_key_value_heads");
        qwen3.put("num_attention_heads", 64);
        ModelConfig qwen3Defaults = ModelConfig.fromJson(qwen3);
        assertThat(qwen3Defaults.headDim()).isEqualTo(128); // not 896 / 64
        assertThat(qwen3Defaults.numKeyValueHeads()).isEqualTo(32);

        ObjectNode mistral = (ObjectNode) new ObjectMapper().readTree(LLAMA2_7B);
        mistral.putArray("architectures").add("MistralForCausalLM");
        mistral.remove("num_key_value_heads");
        mistral.remove("max_position_embeddings");
        ModelConfig absentWindow = ModelConfig.fromJson(mistral);
        assertThat(absentWindow.slidingWindow()).hasValue(4096);
        assertThat(absentWindow.numKeyValueHeads()).isEqualTo(8);
        assertThat(absentWindow.maxPositionEmbeddings()).isEqualTo(131072);
        assertThat(absentWindow.attendsAcross(4095)).isTrue();
        assertThat(absentWindow.attendsAcross(4096)).isFalse();
        mistral.putNull("sliding_window");
        assertThat(ModelConfig.fromJson(mistral).slidingWindow()).isEmpty();
        assertThat(ModelConfig.fromJson(mistral).attendsAcross(1_000_000)).isTrue();
        mistral.put("attention_bias", true); // not a Mistral field: its projections have no biases
        assertThat(ModelConfig.fromJson(mistral).attentionQkvBias()).isFalse();
    }

    @Test
    void qwen3AttentionBiasAddsBiasesToAllFourProjections() {
        ModelConfig c = ModelConfig.builder(Architecture.QWEN3)
                .sizes(11, 8, 12, 1, 2, 1)
                .headDim(6)
                .attentionBias(true)
                .build();
        assertThat(c.parameterShapes().keySet())
                .containsExactly(
                        "model.embed_tokens.weight",
                        "model.layers.0.input_layernorm.weight",
                        "model.layers.0.self_attn.q_proj.weight",
                        "model.layers.0.self_attn.q_proj.bias",
                        "model.layers.0.self_attn.k_proj.weight",
                        "model.layers.0.self_attn.k_proj.bias",
                        "model.layers.0.self_attn.v_proj.weight",
                        "model.layers.0.self_attn.v_proj.bias",
                        "model.layers.0.self_attn.o_proj.weight",
                        "model.layers.0.self_attn.o_proj.bias",
                        "model.layers.0.self_attn.q_norm.weight",
                        "model.layers.0.self_attn.k_norm.weight",
                        "model.layers.0.post_attention_layernorm.weight",
                        "model.layers.0.mlp.gate_proj.weight",
                        "model.layers.0.mlp.up_proj.weight",
                        "model.layers.0.mlp.down_proj.weight",
                        "model.norm.weight",
                        "lm_head.weight");
        assertThat(c.parameterShapes().get("model.layers.0.self_attn.q_norm.weight"))
                .containsExactly(6);
    }

    @Test
    void refusesQwenSlidingWindowLayers() throws Exception {
        assertThatThrownBy(() -> ModelConfig.parse(
                        QWEN25_05B.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true")))
                .hasMessageContaining("use_sliding_window=true is not supported");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(QWEN25_05B);
        json.putArray("architectures").add("Qwen3ForCausalLM");
        json.putArray("layer_types").add("full_attention").add("sliding_attention");
        assertThatThrownBy(() -> ModelConfig.fromJson(json))
                .hasMessageContaining("layer_types: \"sliding_attention\" is not supported");
        json.putArray("layer_types").add("full_attention").add("full_attention");
        assertThat(ModelConfig.fromJson(json).slidingWindow()).isEmpty();
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        assertThatThrownBy(() -> llamaWith("num_attention_heads", 30))
                .hasMessageContaining("hidden_size (4096) must be divisible by num_attention_heads (30)");
        assertThatThrownBy(() -> llamaWith("num_key_value_heads", 5))
                .hasMessageContaining("num_key_value_heads (5) must divide num_attention_heads (32)");
        assertThatThrownBy(() -> llamaWith("intermediate_size", -3))
                .hasMessageContaining("intermediate_size must be a positive integer, got -3");
        assertThatThrownBy(() -> llamaWith("vocab_size", "many"))
                .hasMessageContaining("vocab_size must be a positive integer, got \"many\"");
        assertThatThrownBy(() -> llamaWith("vocab_size", null)).hasMessageContaining("vocab_size is missing");
        assertThatThrownBy(() -> llamaWith("head_dim", 127)).hasMessageContaining("head_dim (127) must be even");
        assertThatThrownBy(() -> llamaWith("rms_norm_eps", 0))
                .hasMessageContaining("rms_norm_eps must be a positive number");
        assertThatThrownBy(() -> llamaWith("hidden_act", "gelu"))
                .hasMessageContaining("hidden_act \"gelu\" is not supported");
        assertThatThrownBy(() -> llamaWith("tie_word_embeddings", "yes"))
                .hasMessageContaining("tie_word_embeddings must be true or false");
        assertThatThrownBy(() -> llamaWith("eos_token_id", List.of(2, "x")))
                .hasMessageContaining("eos_token_id must be a non-negative integer or a list of them");
        assertThatThrownBy(() -> ModelConfig.parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ModelConfig.builder(Architecture.QWEN2)
                        .sizes(10, 8, 16, 1, 2, 2)
                        .mlpBias(true)
                        .build())
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("mlp_bias is a Llama setting");
    }

    @Test
    void eosTokenIdMayBeAList() throws Exception {
        assertThat(llamaWith("eos_token_id", List.of(128001, 128009)).eosTokenIds())
                .containsExactly(128001, 128009);
        assertThat(llamaWith("eos_token_id", null).eosTokenIds()).isEmpty();
    }

    @Test
    void writeKeepsUnknownFieldsAndChangesOnlyTorchDtype() throws Exception {
        ObjectNode original = (ObjectNode) new ObjectMapper().readTree(QWEN25_05B);
        original.putObject("quirk").put("nested", 1).putArray("list").add("a");
        Path in = dir.resolve("in.json");
        Files.writeString(in, original.toString());

        ModelConfig c = ModelConfig.read(in).withTorchDtype("float32");
        c.write(dir);

        JsonNode written =
                new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        ObjectNode expected = original.deepCopy();
        expected.put("torch_dtype", "float32");
        assertThat(written).isEqualTo(expected);
        assertThat(ModelConfig.read(dir).torchDtype()).isEqualTo("float32");
    }

    @Test
    void writingADtypeKeepsTheTransformers5FieldName() throws Exception {
        ModelConfig v5 = ModelConfig.fromJson(RealConfigs.json("Llama-3.2-1B.transformers5"))
                .withTorchDtype("float32");
        assertThat(v5.toJson().get("dtype").asText()).isEqualTo("float32");
        assertThat(v5.toJson().has("torch_dtype")).isFalse();
        assertThat(v5.torchDtype()).isEqualTo("float32");
    }

    @Test
    void readErrorsNameTheFile() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, LLAMA2_7B.replace("\"vocab_size\": 32000", "\"vocab_size\": 0"));
        assertThatThrownBy(() -> ModelConfig.read(dir))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("vocab_size must be a positive integer");
        Files.writeString(file, "{oops");
        assertThatThrownBy(() -> ModelConfig.read(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void builtConfigsRoundTripThroughJson() throws Exception {
        ModelConfig built = ModelConfig.builder(Architecture.QWEN2)
                .sizes(97, 64, 128, 2, 4, 2)
                .tieWordEmbeddings(true)
                .bosTokenId(1)
                .eosTokenIds(List.of(2, 3))
                .maxPositionEmbeddings(512)
                .build();
        built.write(dir);
        ModelConfig read = ModelConfig.read(dir);
        assertThat(read.toJson()).isEqualTo(built.toJson());
        assertThat(read.architecture()).isEqualTo(Architecture.QWEN2);
        assertThat(read.headDim()).isEqualTo(16);
        assertThat(read.ropeTheta()).isEqualTo(1e6);
        assertThat(read.tieWordEmbeddings()).isTrue();
        assertThat(read.eosTokenIds()).containsExactly(2, 3);
        assertThat(read.maxPositionEmbeddings()).isEqualTo(512);
        assertThat(read.torchDtype()).isEqualTo("float32");
        assertThat(ModelConfig.llama(97, 64, 128, 2, 4, 2).ropeTheta()).isEqualTo(10000.0);
    }
}
