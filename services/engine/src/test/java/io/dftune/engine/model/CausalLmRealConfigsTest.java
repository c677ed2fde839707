package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.testing.PythonReference;
import io.dftune.engine.testing.RealConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A random two-layer model built from each released config (vocabulary, heads, head_dim, RoPE,
 * biases, q/k norms and tying as published; widths narrowed as {@link RealConfigs#small} says)
 * scores a padded batch as the independent float64 reference does: loss, NLL, mean target
 * probability and logits within 1e-4. Variants switch on what no released config of these uses
 * within a short sequence: a sliding window shorter than it, llama3 scaling over a short
 * pre-training context, linear scaling, Qwen3's attention_bias.
 */
class CausalLmRealConfigsTest {
    static final double TOLERANCE = 1e-4;

    static final List<Arguments> CASES = List.of(
            Arguments.of("Llama-3.2-1B", ""),
            Arguments.of("Llama-3.2-1B.transformers5", ""),
            Arguments.of("Llama-3.2-3B", ""),
            Arguments.of("Llama-3.1-8B", ""),
            Arguments.of("SmolLM2-135M", ""),
            Arguments.of("Qwen2.5-0.5B", ""),
            Arguments.of("Qwen2.5-1.5B", ""),
            Arguments.of("Qwen2.5-7B", ""),
            Arguments.of("Qwen2.5-Math-1.5B", ""),
            Arguments.of("Qwen3-0.6B", ""),
            Arguments.of("Qwen3-8B", ""),
            Arguments.of("Mistral-7B-v0.1", ""),
            Arguments.of("Mistral-7B-v0.3", ""),
            Arguments.of("Mistral-7B-v0.1", "window 5"),
            Arguments.of("Llama-3.2-1B.transformers5", "llama3 over 16 positions"),
            Arguments.of("SmolLM2-135M", "linear rope x4"),
            Arguments.of("Qwen3-0.6B", "attention bias"));

    @TempDir
    static Path dir;

    /** Every case's model and reference numbers, made in one Python process (one torch start-up). */
    @BeforeAll
    static void makeModelsAndReferenceScores() throws IOException {
        List<List<String>> commands = new ArrayList<>();
        for (Arguments arguments : CASES) {
            Object[] a = arguments.get();
            ObjectNode config = RealConfigs.variant(RealConfigs.small((String) a[0], 2), (String) a[1]);
            Path caseDir = Files.createDirectories(caseDir((String) a[0], (String) a[1]));
            Path configFile = caseDir.resolve("config.json");
            JSON.writeValue(configFile.toFile(), config);
            PythonReference.writeExamples(
                    caseDir.resolve("examples.json"),
                    examples(config).stream()
                            .map(e -> new PythonReference.Example(e.inputIds(), e.completionMask()))
                            .toList());
            commands.add(PythonReference.makeRandomCommand(configFile, caseDir.resolve("model"), 17, "f32"));
            commands.add(PythonReference.scoreCommand(
                    caseDir.resolve("model"),
                    caseDir.resolve("examples.json"),
                    caseDir.resolve("expected.json"),
                    caseDir.resolve("logits.safetensors")));
        }
        PythonReference.batch(commands);
    }

    static List<Arguments> cases() {
        return CASES;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesTheIndependentReference(String name, String variant) throws IOException {
        Path caseDir = caseDir(name, variant);
        JsonNode expected = JSON.readTree(caseDir.resolve("expected.json").toFile());
        try (NDManager root = NDManager.newBaseManager();
                CausalLm lm = ModelDirectory.load(caseDir.resolve("model"), root)) {
            List<TrainingExample> examples = examples(lm.config().toJson());
            ResponseLoss loss = new ResponseLoss(64);
            Batch batch = Batch.of(examples, 0);
            TokenStats dft = loss.score(lm, batch, new DftObjective());
            assertThat(dft.tokens()).isEqualTo(expected.get("tokens").asLong());
            assertThat(dft.nll()).isCloseTo(expected.get("nll").asDouble(), within(TOLERANCE));
            assertThat(dft.objectiveLoss()).isCloseTo(expected.get("dft_loss").asDouble(), within(TOLERANCE));
            assertThat(dft.meanTargetProbability())
                    .isCloseTo(expected.get("mean_target_prob").asDouble(), within(TOLERANCE));

            float[] reference = SafetensorsReader.read(caseDir.resolve("logits.safetensors"), root)
                    .get("logits")
                    .toFloatArray();
            try (NDManager scope = root.newSubManager()) {
                NDArray ids = scope.create(new int[][] {examples.get(0).inputIds()});
                float[] logits = lm.logits(lm.hiddenStates(ids)).toFloatArray();
                assertThat(logits).hasSameSizeAs(reference);
                double worst = 0;
                for (int i = 0; i < logits.length; i++) {
                    worst = Math.max(worst, Math.abs(logits[i] - reference[i]));
                }
                assertThat(worst).as("max |logit difference|").isLessThan(TOLERANCE);
            }
        }
    }

    private static Path caseDir(String name, String variant) {
        return dir.resolve((name + " " + variant).trim().replace(' ', '_'));
    }

    private static List<TrainingExample> examples(JsonNode config) {
        return CausalLmReferenceTest.randomExamples(
                new Random(5), config.get("vocab_size").asInt());
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
