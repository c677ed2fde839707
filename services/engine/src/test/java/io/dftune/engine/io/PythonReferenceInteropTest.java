package io.dftune.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelWeights;
import io.dftune.engine.testing.PythonReference;
import io.dftune.engine.testing.PythonReference.Example;
import io.dftune.engine.testing.TestWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checkpoints cross between the Python reference (hf_reference.py) and the Java reader/writer. */
class PythonReferenceInteropTest {
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

    @Test
    void referenceSelfTestPasses() {
        assertThat(PythonReference.selfTest()).contains("selftest ok");
    }

    @ParameterizedTest
    @CsvSource({
        "llama, f32, false, 1, false",
        "qwen2, f32, true, 1, false",
        "llama, bf16, false, 1, true",
        "qwen2, bf16, false, 3, false",
        "llama, f16, true, 2, false",
        "qwen2, f32, false, 4, false"
    })
    void javaLoadsWhatPythonWrote(String arch, String dtype, boolean tied, int shards, boolean llamaBias)
            throws Exception {
        JsonNode stats = PythonReference.makeRandom(arch, dir, 11, dtype, tied, shards, llamaBias)
                .get("tensors");

        ModelConfig config = ModelConfig.read(dir);
        assertThat(config.architecture()).isEqualTo(arch.equals("llama") ? Architecture.LLAMA : Architecture.QWEN2);
        assertThat(config.vocabSize()).isEqualTo(97);
        assertThat(config.headDim()).isEqualTo(16);
        assertThat(config.numKeyValueHeads()).isEqualTo(2);
        assertThat(config.tieWordEmbeddings()).isEqualTo(tied);
        assertThat(config.attentionOutputBias()).isEqualTo(llamaBias);
        assertThat(config.ropeTheta()).isEqualTo(arch.equals("llama") ? 1e4 : 1e6);
        Set<Path> files = new HashSet<>();
        SafetensorsReader.describe(dir).values().forEach(t -> files.add(t.file()));
        assertThat(files).hasSize(shards);

        Map<String, NDArray> weights = ModelWeights.load(dir, config, manager);

        List<String> pythonNames = new ArrayList<>();
        stats.fieldNames().forEachRemaining(pythonNames::add);
        assertThat(weights.keySet()).containsExactlyInAnyOrderElementsOf(pythonNames);
        for (String name : pythonNames) {
            assertMatchesStats(name, weights.get(name), stats.get(name));
        }
    }

    @ParameterizedTest
    @CsvSource({"F32", "BF16", "F16"})
    void pythonReadsWhatJavaWrote(SafetensorsDType dtype) throws Exception {
        ModelConfig config = ModelConfig.builder(Architecture.LLAMA)
                .sizes(97, 64, 128, 2, 4, 2)
                .attentionBias(true)
                .build();
        Map<String, NDArray> weights = TestWeights.random(config, manager, 12);
        ModelWeights.save(dir, config, weights, dtype);

        JsonNode stats = PythonReference.stats(dir).get("tensors");

        List<String> pythonNames = new ArrayList<>();
        stats.fieldNames().forEachRemaining(pythonNames::add);
        assertThat(pythonNames)
                .containsExactlyElementsOf(config.parameterShapes().keySet());
        Map<String, NDArray> reread = SafetensorsReader.read(dir, manager);
        for (String name : pythonNames) {
            assertThat(stats.get(name).get("dtype").asText()).isEqualTo(dtype.name());
            assertMatchesStats(name, reread.get(name), stats.get(name));
        }
        // The reference's forward pass accepts the Java-written checkpoint.
        JsonNode scored =
                PythonReference.score(dir, List.of(new Example(new int[] {1, 5, 9, 2}, new int[] {0, 1, 1, 1})));
        assertThat(scored.get("tokens").asInt()).isEqualTo(3);
    }

    @Test
    void halfPrecisionRoundingMatchesTorchAndNumpy() throws Exception {
        float[] values = specialAndRandomValues();
        Map<String, NDArray> tensor = Map.of("v", manager.create(values, new Shape(values.length)));
        Path f32 = dir.resolve("f32.safetensors");
        SafetensorsWriter.write(f32, tensor);
        for (SafetensorsDType dtype : List.of(SafetensorsDType.BF16, SafetensorsDType.F16)) {
            Path ours = dir.resolve("java-" + dtype + ".safetensors");
            Path theirs = dir.resolve("python-" + dtype + ".safetensors");
            SafetensorsWriter.write(ours, tensor, dtype);
            PythonReference.convert(f32, theirs, dtype.name().toLowerCase());

            assertThat(SafetensorsReader.describe(theirs).get("v").dtype()).isEqualTo(dtype);
            float[] a = SafetensorsReader.read(ours, manager).get("v").toFloatArray();
            float[] b = SafetensorsReader.read(theirs, manager).get("v").toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToIntBits(a[i]))
                        .as("%s of %s", dtype, values[i])
                        .isEqualTo(Float.floatToIntBits(b[i]));
            }
        }
    }

    private static float[] specialAndRandomValues() {
        List<Float> list = new ArrayList<>(List.of(
                0f,
                -0f,
                1f,
                1f + 0x1p-8f,
                1f + 3 * 0x1p-8f,
                1f + 0x1p-11f,
                1f + 3 * 0x1p-11f,
                65504f,
                65519.99f,
                65520f,
                -65520f,
                0x1p-24f,
                0x1p-25f,
                3 * 0x1p-26f,
                1e-8f,
                Float.MAX_VALUE,
                -Float.MAX_VALUE,
                Float.MIN_VALUE,
                Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY,
                Float.NaN,
                3.14159f,
                -2.71828f,
                1e10f));
        Random random = new Random(5);
        for (int i = 0; i < 5000; i++) {
            list.add((float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6)));
        }
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return values;
    }

    @Test
    void scoreAggregatesAreConsistentAndTheForwardIsCausal() throws Exception {
        PythonReference.makeRandom("qwen2", dir, 3, "f32", true, 1);
        List<Example> examples = List.of(
                new Example(new int[] {1, 10, 20, 30, 40, 50, 60}, new int[] {0, 0, 0, 1, 1, 1, 0}),
                new Example(new int[] {1, 7, 8, 9}, new int[] {1, 1, 1, 1}));

        JsonNode r = PythonReference.score(dir, examples);

        List<Double> all = new ArrayList<>();
        r.get("examples").forEach(e -> e.get("target_log_probs").forEach(v -> all.add(v.asDouble())));
        assertThat(r.get("examples").get(0).get("target_positions").toString()).isEqualTo("[3,4,5]");
        assertThat(r.get("examples").get(1).get("target_token_ids").toString()).isEqualTo("[7,8,9]");
        assertThat(r.get("tokens").asInt()).isEqualTo(6).isEqualTo(all.size());
        double nll = -all.stream().mapToDouble(Double::doubleValue).sum() / all.size();
        double dft = -all.stream().mapToDouble(lp -> Math.exp(lp) * lp).sum() / all.size();
        double meanP = all.stream().mapToDouble(Math::exp).sum() / all.size();
        double low = all.stream().filter(lp -> Math.exp(lp) < 0.1).count() / (double) all.size();
        assertThat(r.get("nll").asDouble()).isCloseTo(nll, within(1e-12));
        assertThat(r.get("dft_loss").asDouble()).isCloseTo(dft, within(1e-12));
        assertThat(r.get("mean_target_prob").asDouble()).isCloseTo(meanP, within(1e-12));
        assertThat(r.get("low_prob_ratio").asDouble()).isEqualTo(low);
        assertThat(r.get("nll").asDouble()).isBetween(2.0, 8.0);

        JsonNode logits = r.get("logits_example0");
        assertThat(logits.size()).isEqualTo(7);
        assertThat(logits.get(0).size()).isEqualTo(97);
        // target 3 (token 30) is predicted from position 2
        assertThat(logSoftmax(logits.get(2), 30)).isCloseTo(all.get(0), within(1e-10));

        JsonNode prefix = PythonReference.score(dir, List.of(new Example(new int[] {1, 10, 20}, new int[] {0, 0, 1})))
                .get("logits_example0");
        for (int t = 0; t < 3; t++) {
            for (int v = 0; v < 97; v++) {
                assertThat(prefix.get(t).get(v).asDouble())
                        .isCloseTo(logits.get(t).get(v).asDouble(), within(1e-9));
            }
        }
        JsonNode f32 = PythonReference.score(dir, examples, "f32");
        assertThat(f32.get("nll").asDouble()).isCloseTo(nll, within(1e-4));
    }

    private static double logSoftmax(JsonNode row, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode v : row) {
            max = Math.max(max, v.asDouble());
        }
        double sum = 0;
        for (JsonNode v : row) {
            sum += Math.exp(v.asDouble() - max);
        }
        return row.get(index).asDouble() - max - Math.log(sum);
    }

    private static void assertMatchesStats(String name, NDArray array, JsonNode stats) {
        long[] shape = new long[stats.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = stats.get("shape").get(i).asLong();
        }
        assertThat(array.getShape()).as(name).isEqualTo(new Shape(shape));
        float[] values = array.toFloatArray();
        double sum = 0;
        double absSum = 0;
        for (float v : values) {
            sum += v;
            absSum += Math.abs(v);
        }
        assertThat(sum).as(name + " sum").isCloseTo(stats.get("sum").asDouble(), within(1e-9 * absSum + 1e-12));
        assertThat(absSum).as(name + " abs_sum").isCloseTo(stats.get("abs_sum").asDouble(), within(1e-9 * absSum));
        JsonNode first = stats.get("first");
        for (int i = 0; i < first.size(); i++) {
            assertThat(values[i]).as(name + "[" + i + "]").isEqualTo((float)
                    first.get(i).asDouble());
        }
    }
}
