package io.dftune.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.io.SafetensorsWriter;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.LoraAdapter;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.model.SaveFormat;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.testing.PythonReference;
import io.dftune.engine.testing.RealConfigs;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes the input of {@code src/test/python/hf_interop.py}: one folder per case with a tiny model
 * directory written by dftune ({@code model/}) and dftune's own numbers for it
 * ({@code expected.json}: loss, NLL and mean target probability of a batch; and
 * {@code expected_logits.safetensors}: the logits of a fixed input). The script loads each model
 * with transformers and compares. Here the numbers are checked against the independent Python
 * reference, so a folder only comes out when dftune and the reference agree.
 *
 * <p>Writes into the folder named by the system property {@value #OUT_PROPERTY} when set (a new
 * or empty folder, or one an earlier run wrote, which it replaces), else into a temporary folder:
 * {@code mvn -pl services/engine -am test -Dtest=HfInteropFixturesTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddftune.interop.out=/abs/path}.
 */
class HfInteropFixturesTest {
    static final String OUT_PROPERTY = "dftune.interop.out";
    static final int VOCAB = 1000;
    static final double TOLERANCE = 1e-4;
    /** Written last: says what the folder is, and lets a later run replace it. */
    static final String MARKER = "README.txt";

    /** A released config, what changes in it, the weights' type and shard size. */
    record Case(String name, String config, String variant, SafetensorsDType dtype, long maxShardBytes) {}

    static final List<Case> CASES = List.of(
            new Case("llama-3.2-1b", "Llama-3.2-1B", "", SafetensorsDType.BF16, 5_000_000_000L),
            new Case("llama-3.1-8b-sharded", "Llama-3.1-8B", "", SafetensorsDType.F32, 1_000_000),
            new Case(
                    "llama-3.2-1b-transformers5-layout",
                    "Llama-3.2-1B.transformers5",
                    "",
                    SafetensorsDType.BF16,
                    5_000_000_000L),
            new Case("smollm2-linear-rope", "SmolLM2-135M", "linear rope x4", SafetensorsDType.F32, 5_000_000_000L),
            new Case("qwen2.5-0.5b", "Qwen2.5-0.5B", "", SafetensorsDType.BF16, 5_000_000_000L),
            new Case("qwen3-0.6b", "Qwen3-0.6B", "", SafetensorsDType.BF16, 5_000_000_000L),
            new Case("qwen3-8b-attention-bias", "Qwen3-8B", "attention bias", SafetensorsDType.F32, 5_000_000_000L),
            new Case("mistral-7b-v0.1-window-8", "Mistral-7B-v0.1", "window 8", SafetensorsDType.BF16, 5_000_000_000L),
            new Case("mistral-7b-v0.3", "Mistral-7B-v0.3", "", SafetensorsDType.BF16, 5_000_000_000L));

    /**
     * Cases with a LoRA adapter (rank 4, all linear layers, A and B random) as PEFT writes one: the
     * script loads the base and the adapter with peft; a second case holds the merged model.
     */
    static final List<Case> ADAPTER_CASES = List.of(
            new Case("qwen2.5-0.5b-lora", "Qwen2.5-0.5B", "", SafetensorsDType.F32, 5_000_000_000L),
            new Case("llama-3.2-1b-lora", "Llama-3.2-1B", "", SafetensorsDType.BF16, 5_000_000_000L));

    static final String MERGED = "-merged";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path temporary;

    @Test
    void writesTinyModelsAndDftunesNumbersThatTheReferenceConfirms() throws IOException {
        Path out = outputFolder();
        List<List<String>> referenceRuns = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager()) {
            for (Case c : CASES) {
                Path caseDir = Files.createDirectories(out.resolve(c.name()));
                writeCase(c, caseDir, root);
                referenceRuns.add(PythonReference.scoreCommand(
                        caseDir.resolve("model"),
                        caseDir.resolve("examples.json"),
                        temporary.resolve(c.name() + "-reference.json"),
                        temporary.resolve(c.name() + "-reference-logits.safetensors")));
            }
            for (Case c : ADAPTER_CASES) {
                writeAdapterCases(c, out, root);
                Path merged = out.resolve(c.name() + MERGED);
                referenceRuns.add(PythonReference.scoreCommand(
                        merged.resolve("model"),
                        merged.resolve("examples.json"),
                        temporary.resolve(c.name() + "-reference.json"),
                        temporary.resolve(c.name() + "-reference-logits.safetensors")));
            }
            PythonReference.batch(referenceRuns);
            for (Case c : CASES) {
                assertAgreesWithTheReference(c, out.resolve(c.name()), root);
            }
            // The reference scores the merged model: dftune's adapter on its base must give the same numbers.
            for (Case c : ADAPTER_CASES) {
                assertAgreesWithTheReference(c, out.resolve(c.name()), root);
                assertAgreesWithTheReference(c, out.resolve(c.name() + MERGED), root);
            }
        }
        Files.writeString(
                out.resolve(MARKER),
                "Input of services/engine/src/test/python/hf_interop.py, made by HfInteropFixturesTest.\n"
                        + "Run: python3 hf_interop.py " + out + "\n");
    }

    private Path outputFolder() throws IOException {
        String named = System.getProperty(OUT_PROPERTY);
        if (named == null || named.isBlank()) {
            return temporary.resolve("interop");
        }
        Path out = Path.of(named).toAbsolutePath();
        if (Files.exists(out)) {
            boolean empty;
            try (var entries = Files.list(out)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.isRegularFile(out.resolve(MARKER))) {
                throw new IllegalArgumentException(
                        OUT_PROPERTY + "=" + out + " holds files this test did not write; name a new or empty folder");
            }
            AtomicDirectory.deleteRecursively(out);
        }
        return Files.createDirectories(out);
    }

    private static void writeCase(Case c, Path caseDir, NDManager root) throws IOException {
        ObjectNode json = writeBase(c, caseDir, root);
        try (CausalLm lm = ModelDirectory.load(caseDir.resolve("model"), root)) {
            writeExpected(c, json, lm, caseDir, null, root);
        }
    }

    /**
     * The case's base model with a random adapter ({@code CASE/adapter}, PEFT's layout), and a second
     * case, {@code CASE-merged}, whose model is the base with that adapter merged in.
     */
    private static void writeAdapterCases(Case c, Path out, NDManager root) throws IOException {
        Path caseDir = Files.createDirectories(out.resolve(c.name()));
        ObjectNode json = writeBase(c, caseDir, root);
        ModelConfig config = ModelConfig.fromJson(json);
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(4);
        spec.setAlpha(8);
        spec.setDropout(0);
        try (LoraAdapter adapter = LoraAdapter.initialize(config, spec, root, 5)) {
            Random random = new Random(29);
            for (NDArray p : adapter.parameters().values()) {
                float[] values = new float[(int) p.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.3);
                }
                p.set(values);
            }
            adapter.save(Files.createDirectories(caseDir.resolve("adapter")), "../model");
        }
        try (CausalLm lm = ModelDirectory.load(caseDir.resolve("model"), root)) {
            lm.attachAdapter(LoraAdapter.load(caseDir.resolve("adapter"), config, spec, root));
            writeExpected(c, json, lm, caseDir, "adapter", root);
            lm.mergeAdapter();
            Path merged = Files.createDirectories(out.resolve(c.name() + MERGED));
            ModelDirectory.save(
                    lm.withoutAdapter(),
                    caseDir.resolve("model"),
                    merged.resolve("model"),
                    new SaveFormat(SafetensorsDType.F32, c.maxShardBytes()));
            Files.copy(caseDir.resolve("examples.json"), merged.resolve("examples.json"));
        }
        try (CausalLm lm = ModelDirectory.load(out.resolve(c.name() + MERGED).resolve("model"), root)) {
            writeExpected(
                    new Case(c.name() + MERGED, c.config(), c.variant(), SafetensorsDType.F32, c.maxShardBytes()),
                    json,
                    lm,
                    out.resolve(c.name() + MERGED),
                    null,
                    root);
        }
    }

    /** A random model from the case's released config, written in the case's layout; and the examples. */
    private static ObjectNode writeBase(Case c, Path caseDir, NDManager root) throws IOException {
        ObjectNode json = RealConfigs.variant(RealConfigs.small(c.config(), 2), c.variant());
        json.put("vocab_size", VOCAB);
        ModelConfig config = ModelConfig.fromJson(json);
        // Weights of std 1.5 / sqrt(hidden) give logits and attention scores of order 1: peaked
        // enough that a difference in RoPE, masking or normalisation shows in the numbers.
        try (CausalLm random = ModelInitializer.initialize(config, root, 7, 1.5 / Math.sqrt(config.hiddenSize()))) {
            ModelDirectory.save(
                    random, caseDir, caseDir.resolve("model"), new SaveFormat(c.dtype(), c.maxShardBytes()));
        }
        PythonReference.writeExamples(
                caseDir.resolve("examples.json"),
                examples().stream()
                        .map(e -> new PythonReference.Example(e.inputIds(), e.completionMask()))
                        .toList());
        return json;
    }

    /** dftune's numbers for {@code lm}: expected.json and the logits of example 0. */
    private static void writeExpected(
            Case c, ObjectNode json, CausalLm lm, Path caseDir, String adapter, NDManager root) throws IOException {
        List<TrainingExample> examples = examples();
        TokenStats stats = new ResponseLoss(64).score(lm, Batch.of(examples, 0), new DftObjective());
        try (NDManager scope = root.newSubManager()) {
            NDArray ids = scope.create(new int[][] {examples.get(0).inputIds()});
            NDArray logits = lm.logits(lm.hiddenStates(ids)).squeeze(0);
            SafetensorsWriter.write(caseDir.resolve("expected_logits.safetensors"), Map.of("logits", logits));
        }
        ObjectNode expected = JSON.createObjectNode();
        expected.put("case", c.name());
        expected.put("made_from", c.config() + (c.variant().isEmpty() ? "" : " (" + c.variant() + ")"));
        expected.put("architecture", lm.config().architecture().className());
        expected.put("weights_dtype", c.dtype().torchName());
        if (adapter != null) {
            expected.put("adapter", adapter); // loaded with peft.PeftModel.from_pretrained on the base
        }
        if (json.has("rope_parameters")) {
            expected.put("min_transformers", "5.0.0"); // transformers 4 ignores rope_parameters
        }
        expected.put("examples_file", "examples.json");
        expected.put("logits_file", "expected_logits.safetensors");
        expected.put("logits_of_example", 0);
        expected.put("tokens", stats.tokens());
        expected.put("nll", stats.nll());
        expected.put("dft_loss", stats.objectiveLoss());
        expected.put("mean_target_prob", stats.meanTargetProbability());
        expected.put("tolerance", TOLERANCE);
        JSON.writeValue(caseDir.resolve("expected.json").toFile(), expected);
    }

    private void assertAgreesWithTheReference(Case c, Path caseDir, NDManager root) throws IOException {
        JsonNode dftune = JSON.readTree(caseDir.resolve("expected.json").toFile());
        JsonNode reference =
                JSON.readTree(temporary.resolve(c.name() + "-reference.json").toFile());
        for (String field : List.of("nll", "dft_loss", "mean_target_prob")) {
            assertThat(dftune.get(field).asDouble())
                    .as("%s %s", c.name(), field)
                    .isCloseTo(reference.get(field).asDouble(), within(TOLERANCE));
        }
        assertThat(dftune.get("tokens").asLong())
                .isEqualTo(reference.get("tokens").asLong());
        float[] ours = SafetensorsReader.read(caseDir.resolve("expected_logits.safetensors"), root)
                .get("logits")
                .toFloatArray();
        float[] theirs = SafetensorsReader.read(temporary.resolve(c.name() + "-reference-logits.safetensors"), root)
                .get("logits")
                .toFloatArray();
        assertThat(ours).hasSameSizeAs(theirs);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
        }
        assertThat(worst).as("%s max |logit difference|", c.name()).isLessThan(TOLERANCE);
    }

    /** Three examples of different lengths, the first also the logits input; ids over the whole vocabulary. */
    static List<TrainingExample> examples() {
        Random random = new Random(23);
        List<TrainingExample> examples = new ArrayList<>();
        for (int length : new int[] {24, 9, 15}) {
            int[] ids = random.ints(length, 0, VOCAB).toArray();
            int[] mask = new int[length];
            Arrays.fill(mask, 2 + random.nextInt(length / 2), length, 1);
            examples.add(new TrainingExample(ids, mask, null, null));
        }
        return examples;
    }
}
