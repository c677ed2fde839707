package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.io.TensorInfo;
import io.dftune.engine.testing.TestWeights;
import io.dftune.spec.OutputDtype;
import io.dftune.spec.OutputSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a saved model directory holds: weights in the asked type and shards, and the base's companions. */
class ModelDirectorySaveTest {
    @TempDir
    Path dir;

    NDManager manager;
    Path base;

    final ModelConfig config = ModelConfig.builder(Architecture.QWEN3)
            .sizes(300, 32, 48, 2, 4, 2)
            .headDim(16)
            .build();

    @BeforeEach
    void baseModel() throws Exception {
        manager = NDManager.newBaseManager();
        base = dir.resolve("base");
        ModelWeights.save(base, config, TestWeights.random(config, manager, 1), SafetensorsDType.BF16);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void copiesEveryTokenizerTemplateAndGenerationFileAndNothingElse() throws Exception {
        List<String> companions = List.of(
                "added_tokens.json",
                "chat_template.jinja",
                "generation_config.json",
                "merges.txt",
                "special_tokens_map.json",
                "tokenizer.json",
                "tokenizer.model",
                "tokenizer_config.json",
                "vocab.json");
        for (String name : companions) {
            Files.writeString(base.resolve(name), "content of " + name);
        }
        Files.createDirectories(base.resolve("additional_chat_templates"));
        Files.writeString(base.resolve("additional_chat_templates/tool_use.jinja"), "{{ tools }}");
        for (String other : List.of("README.md", "pytorch_model.bin", "optimizer.safetensors", "trainer_state.json")) {
            Files.writeString(base.resolve(other), other);
        }
        Path target = dir.resolve("saved");
        try (CausalLm model = ModelDirectory.load(base, manager)) {
            ModelDirectory.save(model, base, target, new SaveFormat(SafetensorsDType.BF16, 40_000));
        }

        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("model")))
                    .containsExactlyInAnyOrderElementsOf(
                            Stream.concat(companions.stream(), Stream.of("additional_chat_templates", "config.json"))
                                    .toList());
        }
        for (String name : companions) {
            assertThat(target.resolve(name)).hasContent("content of " + name);
        }
        assertThat(target.resolve("additional_chat_templates/tool_use.jinja")).hasContent("{{ tools }}");
    }

    @Test
    void writesTheAskedTypeInShardsThatReloadToTheSameModel() throws Exception {
        Path target = dir.resolve("saved");
        float[] before;
        try (CausalLm model = ModelDirectory.load(base, manager)) {
            before = logits(model);
            ModelDirectory.save(model, base, target, new SaveFormat(SafetensorsDType.BF16, 40_000));
        }
        JsonNode weightMap = new ObjectMapper()
                .readTree(target.resolve(SafetensorsReader.INDEX_FILE).toFile())
                .get("weight_map");
        Set<String> shards = new TreeSet<>();
        weightMap.forEach(file -> shards.add(file.asText()));
        assertThat(shards).hasSizeGreaterThan(1);
        for (String shard : shards) {
            assertThat(shard).matches("model-\\d{5}-of-0000" + shards.size() + "\\.safetensors");
            assertThat(target.resolve(shard)).isRegularFile();
        }
        assertThat(weightMap.size()).isEqualTo(config.parameterShapes().size());
        assertThat(target.resolve(SafetensorsReader.SINGLE_FILE)).doesNotExist();
        assertThat(SafetensorsReader.describe(target).values())
                .extracting(TensorInfo::dtype)
                .containsOnly(SafetensorsDType.BF16);
        assertThat(ModelConfig.read(target).torchDtype()).isEqualTo("bfloat16");
        try (CausalLm reloaded = ModelDirectory.load(target, manager)) {
            // the base's weights were bf16 already, so the rounding changes nothing
            assertThat(logits(reloaded)).containsExactly(before);
        }
    }

    @Test
    void autoIsTheTypeMostOfTheBasesValuesAreStoredIn() throws Exception {
        OutputSpec output = new OutputSpec();
        output.setMaxShardSize("2MB");
        assertThat(SaveFormat.finalModel(output, base)).isEqualTo(new SaveFormat(SafetensorsDType.BF16, 2_000_000));
        output.setDtype(OutputDtype.FLOAT32);
        assertThat(SaveFormat.finalModel(output, base).dtype()).isEqualTo(SafetensorsDType.F32);
        output.setDtype(OutputDtype.AUTO);
        assertThat(SaveFormat.checkpoint(output)).isEqualTo(new SaveFormat(SafetensorsDType.F32, 2_000_000));

        // A checkpoint whose norms are float32 and whose matrices are float16 counts as float16.
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Map<String, NDArray> weights = TestWeights.random(config, manager, 2);
        SafetensorsWriter.write(
                mixed.resolve("model.safetensors"),
                Map.of("model.norm.weight", weights.get("model.norm.weight")),
                SafetensorsDType.F32);
        assertThat(ModelWeights.storedDtype(mixed)).isEqualTo(SafetensorsDType.F32);
        SafetensorsWriter.write(
                mixed.resolve("model.safetensors"),
                Map.of(
                        "model.norm.weight", weights.get("model.norm.weight"),
                        "model.embed_tokens.weight", weights.get("model.embed_tokens.weight")),
                SafetensorsDType.F16);
        assertThat(ModelWeights.storedDtype(mixed)).isEqualTo(SafetensorsDType.F16);
    }

    @Test
    void neverMixesASingleFileWithShards() throws Exception {
        Map<String, NDArray> weights = TestWeights.random(config, manager, 3);
        assertThatThrownBy(() -> ModelWeights.save(base, config, weights, new SaveFormat(SafetensorsDType.F32, 10_000)))
                .isInstanceOf(ModelWeightsException.class)
                .hasMessageContaining(
                        "holds model.safetensors, which transformers would load instead of the new shards");
        Path sharded = dir.resolve("sharded");
        ModelWeights.save(sharded, config, weights, new SaveFormat(SafetensorsDType.F32, 10_000));
        assertThatThrownBy(() -> ModelWeights.save(sharded, config, weights))
                .hasMessageContaining("holds model.safetensors.index.json");
    }

    private float[] logits(CausalLm model) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(new int[][] {{5, 17, 33, 2, 290, 41}});
            return model.logits(model.hiddenStates(ids)).toFloatArray();
        }
    }
}
