package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.nd.Constants;
import io.dftune.engine.testing.PythonReference;
import io.dftune.engine.testing.RealConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inverse frequencies and cos/sin tables of released configs' RoPE (plain, llama3 in both config
 * layouts, linear) against the independent reference, up to positions far past the test
 * sequences: llama3 and linear scaling change the low frequencies, whose angles only grow large at
 * long positions.
 */
class RotaryEmbeddingTest {
    static final long[] POSITIONS = {0, 1, 2, 3, 17, 100, 1000, 4095, 8191, 8192, 32767, 131071};
    static final List<String> CONFIGS =
            List.of("Llama-3.1-8B", "Llama-3.2-1B.transformers5", "Qwen3-8B", "Mistral-7B-v0.1", "linear");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    /** The reference's tables for every config, in one Python process. */
    @BeforeAll
    static void referenceTables() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (String name : CONFIGS) {
            Path configFile = dir.resolve(name + ".json");
            JSON.writeValue(configFile.toFile(), config(name));
            commands.add(PythonReference.ropeCommand(configFile, POSITIONS, dir.resolve(name + ".rope.json")));
        }
        PythonReference.batch(commands);
    }

    static List<String> configs() {
        return CONFIGS;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void tablesMatchTheReferenceAtLongPositions(String name) throws IOException {
        ModelConfig config = ModelConfig.fromJson(config(name));
        JsonNode expected = JSON.readTree(dir.resolve(name + ".rope.json").toFile());
        int headDim = config.headDim();

        float[] inv = config.rope().inverseFrequencies(headDim);
        JsonNode expectedInv = expected.get("inv_freq");
        assertThat(inv).hasSize(expectedInv.size());
        for (int i = 0; i < inv.length; i++) {
            // float32 pow in torch and in Java may round the last bit differently
            assertThat((double) inv[i])
                    .as("inv_freq[%d]", i)
                    .isCloseTo(expectedInv.get(i).asDouble(), within(2.0 * Math.ulp(inv[i])));
        }

        try (NDManager manager = NDManager.newBaseManager()) {
            RotaryEmbedding rotary = new RotaryEmbedding(manager, headDim, config.rope());
            NDArray positions = manager.create(new long[][] {POSITIONS});
            RotaryEmbedding.Angles angles =
                    rotary.angles(manager, POSITIONS.length, positions, Constants.scalar(manager, 1f));
            float[] cos = angles.cos().toFloatArray();
            float[] signedSin = angles.sin().toFloatArray();
            for (int p = 0; p < POSITIONS.length; p++) {
                for (int d = 0; d < headDim; d++) {
                    int frequency = d % (headDim / 2);
                    // an inverse frequency one ulp apart moves the angle by position * ulp
                    double tolerance = 1e-6 + 2.0 * POSITIONS[p] * Math.ulp(inv[frequency]);
                    double sign = d < headDim / 2 ? -1 : 1;
                    assertThat((double) cos[p * headDim + d])
                            .as("cos at position %d, dim %d", POSITIONS[p], d)
                            .isCloseTo(expected.at("/cos/" + p + "/" + d).asDouble(), within(tolerance));
                    assertThat(sign * signedSin[p * headDim + d])
                            .as("sin at position %d, dim %d", POSITIONS[p], d)
                            .isCloseTo(expected.at("/sin/" + p + "/" + d).asDouble(), within(tolerance));
                }
            }
        }
    }

    private static ObjectNode config(String name) {
        return name.equals("linear")
                ? RealConfigs.variant(RealConfigs.json("SmolLM2-135M"), "linear rope x4")
                : RealConfigs.json(name);
    }
}
