package io.dftune.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code src/test/python/hf_reference.py}, the project's independent Python reference for
 * Hugging Face checkpoints and the Llama/Qwen2 forward pass, with Debian's {@code /usr/bin/python3}.
 * A missing interpreter, torch or numpy fails the calling test: the numerical tests must not be
 * skipped silently.
 */
public final class PythonReference {
    public static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "src/test/python/hf_reference.py";
    private static final long TIMEOUT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile boolean checked;

    /** One scoring example: token ids and which positions count as completion targets (1) or not (0). */
    public record Example(int[] inputIds, int[] completionMask) {
        public Example {
            if (inputIds.length != completionMask.length) {
                throw new IllegalArgumentException("inputIds and completionMask differ in length");
            }
        }
    }

    private PythonReference() {}

    /**
     * Writes a random HF checkpoint (sizes: vocab 97, hidden 64, intermediate 128, 2 layers, 4 heads,
     * 2 kv heads, head_dim 16) and returns the script's per-tensor stats:
     * {@code {"tensors": {name: {"dtype", "shape", "sum", "abs_sum", "first": [4 values]}}}}.
     *
     * @param arch "llama" or "qwen2"
     * @param dtype "f32", "bf16" or "f16"
     * @param shards 1 for model.safetensors, more for an index plus that many shards
     */
    public static JsonNode makeRandom(String arch, Path dir, long seed, String dtype, boolean tied, int shards) {
        return makeRandom(arch, dir, seed, dtype, tied, shards, false);
    }

    /** As above; {@code llamaBias} sets Llama's attention_bias and mlp_bias. */
    public static JsonNode makeRandom(
            String arch, Path dir, long seed, String dtype, boolean tied, int shards, boolean llamaBias) {
        return withTempFile(stats -> {
            List<String> args = new ArrayList<>(List.of(
                    "make-random",
                    "--arch",
                    arch,
                    "--out",
                    dir.toString(),
                    "--seed",
                    Long.toString(seed),
                    "--dtype",
                    dtype,
                    "--shards",
                    Integer.toString(shards),
                    "--dump-stats",
                    stats.toString()));
            if (tied) {
                args.add("--tied");
            }
            if (llamaBias) {
                args.add("--llama-bias");
            }
            run(args.toArray(String[]::new));
            return JSON.readTree(stats.toFile());
        });
    }

    /**
     * The arguments of the script's {@code make-random} for a config.json file (any supported one:
     * its architecture, geometry, biases and q/k norms decide the tensors), writing the weights
     * and a copy of the config whose dtype field says {@code dtype} into {@code out}; for
     * {@link #batch}.
     */
    public static List<String> makeRandomCommand(Path configFile, Path out, long seed, String dtype) {
        return List.of(
                "make-random",
                "--config",
                configFile.toString(),
                "--out",
                out.toString(),
                "--seed",
                Long.toString(seed),
                "--dtype",
                dtype);
    }

    /**
     * The arguments of the script's {@code score} in float64 over the examples in {@code examplesFile}
     * (see {@link #writeExamples}), writing what {@link #score(Path, List, String)} returns to
     * {@code output}, except example 0's logits: those go to {@code logitsFile} (a safetensors file
     * with one F64 tensor {@code logits} [T, V]; JSON would be too big for vocabularies of 100k+
     * tokens), or into the JSON when it is null. For {@link #batch}.
     */
    public static List<String> scoreCommand(Path model, Path examplesFile, Path output, Path logitsFile) {
        List<String> args = new ArrayList<>(List.of(
                "score",
                "--model",
                model.toString(),
                "--input",
                examplesFile.toString(),
                "--output",
                output.toString(),
                "--precision",
                "f64"));
        if (logitsFile != null) {
            args.addAll(List.of("--logits-file", logitsFile.toString()));
        }
        return args;
    }

    /**
     * The arguments of the script's {@code rope} for a config.json file, writing the inverse
     * frequencies and the cos and sin tables at {@code positions} to {@code output}:
     * {@code {"positions", "inv_freq": [headDim/2], "cos": [P][headDim], "sin": [P][headDim]}}; for
     * {@link #batch}.
     */
    public static List<String> ropeCommand(Path configFile, long[] positions, Path output) {
        return List.of(
                "rope",
                "--config",
                configFile.toString(),
                "--positions",
                Arrays.stream(positions).mapToObj(Long::toString).collect(Collectors.joining(",")),
                "--output",
                output.toString());
    }

    /** Per-tensor stats (as {@link #makeRandom}) of a model directory, safetensors file or index file. */
    public static JsonNode stats(Path modelOrFile) {
        return withTempFile(out -> {
            run("stats", "--model", modelOrFile.toString(), "--output", out.toString());
            return JSON.readTree(out.toFile());
        });
    }

    /** Re-encodes a checkpoint as one safetensors file, rounding with torch (bf16) or numpy (f16) casts. */
    public static void convert(Path src, Path outFile, String dtype) {
        run("convert", "--src", src.toString(), "--out", outFile.toString(), "--dtype", dtype);
    }

    /** {@link #score(Path, List, String)} in float64. */
    public static JsonNode score(Path modelDir, List<Example> examples) {
        return score(modelDir, examples, "f64");
    }

    /**
     * The HF forward pass over every example; returns {@code examples[i].target_positions /
     * target_token_ids / target_log_probs}, the aggregates over all targets ({@code tokens}, {@code nll},
     * {@code dft_loss}, {@code mean_target_prob}, {@code low_prob_ratio}; null when no target) and
     * {@code logits_example0} ([T][V]). Target t counts when completionMask[t] == 1 and t >= 1.
     *
     * @param precision "f64" or "f32"
     */
    public static JsonNode score(Path modelDir, List<Example> examples, String precision) {
        return withTempFile(in -> withTempFile(out -> {
            writeExamples(in, examples);
            List<String> args = new ArrayList<>(scoreCommand(modelDir, in, out, null));
            args.set(args.indexOf("--precision") + 1, precision);
            run(args.toArray(String[]::new));
            return JSON.readTree(out.toFile());
        }));
    }

    /** What {@link #loraTrain} needs besides the model, the adapter and the examples. */
    public record LoraSteps(
            String objective,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            double maxGradNorm,
            int steps) {}

    /**
     * {@code steps} optimizer steps of the LoRA adapter in {@code adapterDir} on all {@code examples}
     * as one batch, in float64 with torch.optim.AdamW; writes the trained adapter's tensors (F64) to
     * {@code adapterOut} and returns {@code {"steps": [{"loss", "nll", "grad_norm"}, ...]}}.
     */
    public static JsonNode loraTrain(
            Path modelDir, Path adapterDir, List<Example> examples, LoraSteps settings, Path adapterOut) {
        return withTempFile(in -> withTempFile(out -> {
            ObjectNode job = JSON.createObjectNode();
            writeExamples(in, examples);
            job.set("examples", JSON.readTree(in.toFile()));
            job.put("objective", settings.objective());
            job.put("lr", settings.lr());
            job.put("beta1", settings.beta1());
            job.put("beta2", settings.beta2());
            job.put("eps", settings.eps());
            job.put("weight_decay", settings.weightDecay());
            job.put("max_grad_norm", settings.maxGradNorm());
            job.put("steps", settings.steps());
            JSON.writeValue(in.toFile(), job);
            run(
                    "lora-train",
                    "--model",
                    modelDir.toString(),
                    "--adapter",
                    adapterDir.toString(),
                    "--input",
                    in.toString(),
                    "--output",
                    out.toString(),
                    "--adapter-out",
                    adapterOut.toString());
            return JSON.readTree(out.toFile());
        }));
    }

    /** The JSON file as transformers' Python code writes such files: {@code json.dumps(indent=2, sort_keys=True)}. */
    public static String asHuggingFaceWritesIt(Path jsonFile) {
        return withTempFile(out -> {
            run("hf-json", "--input", jsonFile.toString(), "--output", out.toString());
            return Files.readString(out);
        });
    }

    /** Writes examples in the JSON form the script's {@code score} command reads. */
    public static void writeExamples(Path file, List<Example> examples) {
        ArrayNode input = JSON.createArrayNode();
        for (Example e : examples) {
            ObjectNode node = input.addObject();
            Arrays.stream(e.inputIds()).forEach(node.putArray("input_ids")::add);
            Arrays.stream(e.completionMask()).forEach(node.putArray("completion_mask")::add);
        }
        try {
            JSON.writeValue(file.toFile(), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs several of the script's commands (each an argument list, e.g. {@code make-random ...},
     * {@code score ...}) in one Python process: one torch start-up instead of one per command.
     */
    public static void batch(List<List<String>> commands) {
        withTempFile(file -> {
            JSON.writeValue(file.toFile(), commands);
            run("batch", "--commands", file.toString());
            return null;
        });
    }

    /** Runs the script's own checks (bf16 rounding vs torch, RoPE, attention, causality). */
    public static String selfTest() {
        return run("selftest");
    }

    /** Runs the script with the given arguments; returns stdout, fails with stderr on a non-zero exit. */
    public static String run(String... args) {
        requireAvailable();
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        Result r = exec(command);
        if (r.exitCode != 0) {
            throw new AssertionError("hf_reference.py failed (exit " + r.exitCode + "): " + String.join(" ", command)
                    + "\n--- stderr ---\n" + r.stderr + "\n--- stdout ---\n" + r.stdout);
        }
        return r.stdout;
    }

    /** Fails (never skips) when /usr/bin/python3, torch or numpy is missing. */
    public static void requireAvailable() {
        if (checked) {
            return;
        }
        String hint = "The numerical reference tests need Debian's python3 with torch and numpy: "
                + "run `apt-get install python3-torch python3-numpy`.";
        if (!Files.isExecutable(Paths.get(PYTHON))) {
            throw new AssertionError(PYTHON + " not found. " + hint);
        }
        Result r = exec(List.of(PYTHON, "-c", "import torch, numpy"));
        if (r.exitCode != 0) {
            throw new AssertionError(PYTHON + " cannot import torch/numpy. " + hint + "\n" + r.stderr);
        }
        checked = true;
    }

    /**
     * The script, found from the working directory upwards, so tests of other modules that use this
     * class from the engine's test jar find it too.
     */
    public static Path script() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            for (Path candidate :
                    List.of(d.resolve(SCRIPT), d.resolve("services/engine").resolve(SCRIPT))) {
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("cannot find services/engine/" + SCRIPT + " from " + dir);
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface TempFileBody<T> {
        T apply(Path file) throws IOException;
    }

    private static <T> T withTempFile(TempFileBody<T> body) {
        Path file = null;
        try {
            file = Files.createTempFile("hf-reference", ".json");
            return body.apply(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
