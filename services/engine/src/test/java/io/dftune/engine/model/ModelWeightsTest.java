package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dftune.engine.io.HalfFloats;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.testing.TestWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {
    @TempDir
    Path dir;

    NDManager manager;

    // hidden 128, 4 heads -> head_dim 32; 2 kv heads -> k_proj [64, 128]
    final ModelConfig llama = ModelConfig.builder(Architecture.LLAMA)
            .sizes(50, 128, 96, 2, 4, 2)
            .attentionBias(true)
            .mlpBias(true)
            .build();
    final ModelConfig tiedQwen = ModelConfig.builder(Architecture.QWEN2)
            .sizes(50, 32, 48, 1, 4, 2)
            .tieWordEmbeddings(true)
            .build();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void saveThenLoadRoundTripsEveryTensorInConfigOrder() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(llama, manager, 1);
        ModelWeights.save(dir, llama, weights);

        assertThat(ModelConfig.read(dir).toJson()).isEqualTo(llama.toJson());
        Map<String, NDArray> loaded = ModelWeights.load(dir, ModelConfig.read(dir), manager);
        assertThat(new ArrayList<>(loaded.keySet()))
                .containsExactlyElementsOf(llama.parameterShapes().keySet());
        assertThat(loaded).containsKey("model.layers.1.self_attn.o_proj.bias");
        for (String name : weights.keySet()) {
            assertThat(loaded.get(name).toFloatArray())
                    .as(name)
                    .containsExactly(weights.get(name).toFloatArray());
        }
    }

    @Test
    void savesBf16AndRecordsItInConfigJson() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 2);
        ModelWeights.save(dir, tiedQwen, weights, SafetensorsDType.BF16);

        ModelConfig written = ModelConfig.read(dir);
        assertThat(written.torchDtype()).isEqualTo("bfloat16");
        assertThat(SafetensorsReader.describe(dir).get("model.norm.weight").dtype())
                .isEqualTo(SafetensorsDType.BF16);
        float[] original = weights.get("model.layers.0.mlp.up_proj.weight").toFloatArray();
        float[] loaded = ModelWeights.load(dir, written, manager)
                .get("model.layers.0.mlp.up_proj.weight")
                .toFloatArray();
        for (int i = 0; i < original.length; i++) {
            assertThat(loaded[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])));
        }
    }

    @Test
    void tiedEmbeddingsNeitherSaveNorLoadLmHead() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 3);
        weights.put("lm_head.weight", manager.ones(new Shape(50, 32)));
        ModelWeights.save(dir, tiedQwen, weights);
        assertThat(SafetensorsReader.describe(dir)).doesNotContainKey("lm_head.weight");

        // A checkpoint that carries lm_head although tied: the extra copy is ignored, not loaded.
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        Map<String, NDArray> loaded = ModelWeights.load(dir, tiedQwen, manager);
        assertThat(loaded)
                .doesNotContainKey("lm_head.weight")
                .hasSize(tiedQwen.parameterShapes().size());
    }

    @Test
    void rotaryInvFreqBuffersAreIgnored() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 4);
        weights.put("model.layers.0.self_attn.rotary_emb.inv_freq", manager.ones(new Shape(4)));
        tiedQwen.write(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        assertThat(ModelWeights.load(dir, tiedQwen, manager))
                .doesNotContainKey("model.layers.0.self_attn.rotary_emb.inv_freq");
    }

    @Test
    void unknownTensorsAreAnError() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 5);
        weights.put("model.layers.1.mlp.up_proj.weight", manager.ones(new Shape(48, 32)));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        assertThatThrownBy(() -> ModelWeights.load(dir, tiedQwen, manager))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessageContaining("unexpected tensor model.layers.1.mlp.up_proj.weight");
    }

    @Test
    void missingTensorsAreNamed() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(llama, manager, 6);
        weights.remove("model.layers.1.mlp.gate_proj.bias");
        weights.remove("lm_head.weight");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        assertThatThrownBy(() -> ModelWeights.load(dir, llama, manager))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessageContaining("missing 2 tensors: model.layers.1.mlp.gate_proj.bias, lm_head.weight");
    }

    @Test
    void shapeMismatchNamesTensorAndBothShapes() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(llama, manager, 7);
        weights.put("model.layers.0.self_attn.k_proj.weight", manager.zeros(new Shape(128, 128)));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        assertThatThrownBy(() -> ModelWeights.load(dir, llama, manager))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessage(
                        "model.layers.0.self_attn.k_proj.weight: config.json implies [64, 128] but model.safetensors "
                                + "has [128, 128]");
    }

    @Test
    void shapeMismatchInAShardNamesTheShard() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 8);
        weights.put("model.norm.weight", manager.ones(new Shape(31)));
        SafetensorsWriter.write(dir.resolve("model-00001-of-00001.safetensors"), weights);
        Map<String, String> index = new LinkedHashMap<>();
        weights.keySet().forEach(name -> index.put(name, "model-00001-of-00001.safetensors"));
        Files.writeString(
                dir.resolve(SafetensorsReader.INDEX_FILE),
                "{\"weight_map\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(index) + "}");
        assertThatThrownBy(() -> ModelWeights.load(dir, tiedQwen, manager))
                .hasMessage(
                        "model.norm.weight: config.json implies [32] but model-00001-of-00001.safetensors has [31]");
    }

    @Test
    void saveRejectsWrongMissingAndUnknownTensors() {
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 9);
        weights.put("model.norm.weight", manager.ones(new Shape(2)));
        assertThatThrownBy(() -> ModelWeights.save(dir, tiedQwen, weights))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessage("model.norm.weight: config.json implies [32] but the weights to save have [2]");
        weights.remove("model.norm.weight");
        assertThatThrownBy(() -> ModelWeights.save(dir, tiedQwen, weights))
                .hasMessageContaining("missing tensor model.norm.weight");
        weights.put("model.norm.weight", manager.ones(new Shape(32)));
        weights.put("extra", manager.ones(new Shape(2)));
        assertThatThrownBy(() -> ModelWeights.save(dir, tiedQwen, weights))
                .hasMessageContaining("unexpected tensor extra");
        assertThat(dir.resolve("model.safetensors")).doesNotExist();
    }

    @Test
    void saveRefusesADirectoryWithAShardIndex() throws Exception {
        Files.writeString(dir.resolve(SafetensorsReader.INDEX_FILE), "{\"weight_map\":{}}");
        Map<String, NDArray> weights = TestWeights.random(tiedQwen, manager, 10);
        assertThatThrownBy(() -> ModelWeights.save(dir, tiedQwen, weights))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessageContaining("model.safetensors.index.json");
    }
}
