package io.dftune.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsWriterTest {
    @TempDir
    Path dir;

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** float32 tensors of the given element counts, named a, b, c, ... in order. */
    private Map<String, NDArray> tensors(int... sizes) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            tensors.put(
                    String.valueOf((char) ('a' + i)),
                    manager.arange(0f, sizes[i]).add(100 * i).reshape(new Shape(sizes[i])));
        }
        return tensors;
    }

    /**
     * huggingface_hub's rule, worked by hand for a 1000-byte limit: a (400 B) opens shard 1;
     * b (1200 B) is over the limit and gets a shard of its own, put before the one being filled;
     * c (400 B) still fits beside a; d (400 B) does not and opens the next; e (200 B) joins d.
     */
    @Test
    void splitsAsHuggingFaceDoes() throws Exception {
        Map<String, NDArray> tensors = tensors(100, 300, 100, 100, 50);
        List<String> written = ShardedSafetensorsWriter.write(dir, tensors, SafetensorsDType.F32, 1000);

        assertThat(written)
                .containsExactly(
                        "model-00001-of-00003.safetensors",
                        "model-00002-of-00003.safetensors",
                        "model-00003-of-00003.safetensors",
                        "model.safetensors.index.json");
        JsonNode index = new ObjectMapper()
                .readTree(dir.resolve(SafetensorsReader.INDEX_FILE).toFile());
        assertThat(index.at("/weight_map/b").asText()).isEqualTo("model-00001-of-00003.safetensors");
        assertThat(index.at("/weight_map/a").asText()).isEqualTo("model-00002-of-00003.safetensors");
        assertThat(index.at("/weight_map/c").asText()).isEqualTo("model-00002-of-00003.safetensors");
        assertThat(index.at("/weight_map/d").asText()).isEqualTo("model-00003-of-00003.safetensors");
        assertThat(index.at("/weight_map/e").asText()).isEqualTo("model-00003-of-00003.safetensors");
        assertThat(index.at("/metadata/total_size").asLong()).isEqualTo(650 * 4);
        assertThat(index.at("/metadata/total_parameters").asLong()).isEqualTo(650);
        assertThat(dir.resolve(SafetensorsReader.SINGLE_FILE)).doesNotExist();

        // The index is byte for byte what transformers' json.dumps(indent=2, sort_keys=True) writes.
        assertThat(Files.readString(dir.resolve(SafetensorsReader.INDEX_FILE)))
                .isEqualTo(PythonReference.asHuggingFaceWritesIt(dir.resolve(SafetensorsReader.INDEX_FILE)));

        // Both readers see every tensor with its values.
        Map<String, NDArray> read = SafetensorsReader.read(dir, manager);
        assertThat(read.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        for (String name : tensors.keySet()) {
            assertThat(read.get(name).toFloatArray())
                    .as(name)
                    .containsExactly(tensors.get(name).toFloatArray());
        }
        JsonNode stats = PythonReference.stats(dir);
        assertThat(stats.at("/tensors/b/sum").asDouble()).isEqualTo(300 * 299 / 2.0 + 300 * 100);
        assertThat(stats.at("/tensors/e/shape/0").asInt()).isEqualTo(50);
    }

    @Test
    void weightsWithinTheLimitStayOneFileWithoutAnIndex() throws Exception {
        Map<String, NDArray> tensors = tensors(100, 150);
        assertThat(ShardedSafetensorsWriter.write(dir, tensors, SafetensorsDType.BF16, 500))
                .containsExactly("model.safetensors");
        assertThat(dir.resolve(SafetensorsReader.INDEX_FILE)).doesNotExist();
        assertThat(SafetensorsReader.describe(dir).get("b").dtype()).isEqualTo(SafetensorsDType.BF16);
        // in bfloat16 the same tensors need two shards under a limit of 499 bytes
        assertThat(ShardedSafetensorsWriter.shardCount(tensors, SafetensorsDType.BF16, 499))
                .isEqualTo(2);
    }
}
