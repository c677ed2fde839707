package io.dftune.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.DftObjective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's runtime defaults (bin/lib/runtime.sh) against the alternatives, side by side:
 * the JVM with its quick compiler only (C1) or with both (the JVM's default), and TCMalloc or
 * glibc's malloc. The bundled example through {@code bin/dftune} gives the seconds to its first
 * step and its steady step rate; the 25M-parameter model in a child JVM gives step time, page
 * faults and kernel CPU time per step.
 */
final class RuntimeBench implements Benchmark {
    /** A runtime: JVM options added after the defaults, and whether glibc's malloc replaces TCMalloc. */
    record Variant(String name, List<String> jvmOptions, boolean glibc) {
        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            if (glibc) {
                env.put("LD_PRELOAD", null);
                env.put("DFTUNE_MALLOC", "system");
            }
            return env;
        }
    }

    static final List<Variant> RUNTIMES = List.of(
            new Variant("C1 only, TCMalloc (the defaults)", List.of(), false),
            new Variant("C1 and C2 (the JVM's default), TCMalloc", List.of("-XX:TieredStopAtLevel=4"), false),
            new Variant("C1 only, glibc malloc", List.of(), true));
    private static final int EXAMPLE_STEPS = 40;
    private static final int STEADY_FROM = 11;
    private static final int MODEL_STEPS = 5;

    @Override
    public ObjectNode run(Context context) {
        Context.requireFile(
                context.trainerJar(), "build the trainer (bench/run does: mvn -pl services/trainer -am package)");
        int rounds = context.quick() ? 1 : 3;
        int steps = context.quick() ? STEADY_FROM + 1 : EXAMPLE_STEPS;
        Map<String, Samples> firstStep = new LinkedHashMap<>();
        Map<String, Samples> steadyRate = new LinkedHashMap<>();
        Map<String, Samples> modelStep = new LinkedHashMap<>();
        Map<String, Samples> faults = new LinkedHashMap<>();
        Map<String, Samples> kernel = new LinkedHashMap<>();
        for (Variant runtime : RUNTIMES) {
            List.of(firstStep, steadyRate, modelStep, faults, kernel)
                    .forEach(m -> m.put(runtime.name(), new Samples()));
        }
        for (int round = 0; round < rounds; round++) {
            for (Variant runtime : RUNTIMES) {
                ExampleRun run = ExampleRun.run(
                        context,
                        lines -> lines.stream()
                                .map(l -> l.replaceFirst("maxSteps: \\d+", "maxSteps: " + steps))
                                .toList(),
                        runtime.jvmOptions(),
                        runtime.env(),
                        steps);
                firstStep.get(runtime.name()).add(run.mark(ExampleRun.FIRST_STEP));
                steadyRate
                        .get(runtime.name())
                        .add(run.tokensPerSecond(STEADY_FROM).median());
                Bench.log(
                        "runtime %s, round %d: first step %.2f s, steady %.0f tokens/s",
                        runtime.name(),
                        round + 1,
                        run.mark(ExampleRun.FIRST_STEP),
                        run.tokensPerSecond(STEADY_FROM).median());
            }
            for (Variant runtime : RUNTIMES) {
                ObjectNode child = context.child(
                        "runtime-steps",
                        "6g",
                        List.of(Boolean.toString(context.quick())),
                        runtime.jvmOptions(),
                        runtime.env());
                modelStep.get(runtime.name()).add(child.get("seconds").asDouble());
                faults.get(runtime.name()).add(child.get("page_faults").asDouble());
                kernel.get(runtime.name()).add(child.get("kernel_seconds").asDouble());
                Bench.log(
                        "runtime %s, round %d: model step %.3f s, %.0f page faults, %.3f s kernel",
                        runtime.name(),
                        round + 1,
                        child.get("seconds").asDouble(),
                        child.get("page_faults").asDouble(),
                        child.get("kernel_seconds").asDouble());
            }
        }

        Doc doc = new Doc("Runtime defaults: JIT compilers and memory allocator");
        doc.line(
                "The trainer's JVM runs with C1 only and TCMalloc preloaded (`bin/lib/runtime.sh`, the trainer images "
                        + "alike). Each alternative changes one of the two. Rounds: %d, the runtimes alternating within each.%n",
                rounds);
        doc.line(
                "The bundled example (`bin/dftune run`, %d steps of 16 examples, its eval before training included): "
                        + "seconds from process start to the first optimizer step, and the median of each run's median "
                        + "tokens/s over steps %d-%d.%n",
                steps, STEADY_FROM, steps);
        List<List<String>> example = new ArrayList<>();
        for (Variant runtime : RUNTIMES) {
            example.add(List.of(
                    runtime.name(),
                    firstStep.get(runtime.name()).describe("%.2f"),
                    Doc.f("%,.0f", steadyRate.get(runtime.name()).median())));
        }
        doc.table(List.of("runtime", "first step, seconds: median (IQR, range, n)", "steady tokens/s"), example);
        Workload work = Workload.headline(context.quick(), MODEL_STEPS);
        doc.line(
                "Model %s: one child JVM per runtime and round, 2 warm-up steps, then the median of %d steps, with the "
                        + "process's minor page faults and kernel CPU time per step.%n",
                work.describe(), MODEL_STEPS);
        List<List<String>> model = new ArrayList<>();
        for (Variant runtime : RUNTIMES) {
            model.add(List.of(
                    runtime.name(),
                    modelStep.get(runtime.name()).describe("%.3f"),
                    Doc.f("%,.0f", faults.get(runtime.name()).median()),
                    Doc.f("%.3f", kernel.get(runtime.name()).median())));
        }
        doc.table(
                List.of("runtime", "step seconds (median of rounds)", "page faults per step", "kernel CPU s per step"),
                model);

        String defaults = RUNTIMES.get(0).name();
        String bothCompilers = RUNTIMES.get(1).name();
        String glibc = RUNTIMES.get(2).name();
        doc.summary(
                "bundled example, first step: C1 only / both JIT compilers",
                Doc.f(
                        "%.2f s / %.2f s; steady %,.0f / %,.0f tokens/s",
                        firstStep.get(defaults).median(),
                        firstStep.get(bothCompilers).median(),
                        steadyRate.get(defaults).median(),
                        steadyRate.get(bothCompilers).median()),
                "-",
                null);
        doc.summary(
                Doc.f(
                        "%s-parameter step: TCMalloc / glibc malloc",
                        TrainingSpeedBench.compact(work.config().parameterCount())),
                Doc.f(
                        "%.3f s / %.3f s; %,.0f / %,.0f page faults per step",
                        modelStep.get(defaults).median(),
                        modelStep.get(glibc).median(),
                        faults.get(defaults).median(),
                        faults.get(glibc).median()),
                "-",
                null);
        ObjectNode data = doc.data();
        for (Variant runtime : RUNTIMES) {
            ObjectNode json = data.putObject(runtime.name());
            json.set("first_step_seconds", firstStep.get(runtime.name()).toJson());
            json.set("steady_tokens_per_second", steadyRate.get(runtime.name()).toJson());
            json.set("model_step_seconds", modelStep.get(runtime.name()).toJson());
            json.set("page_faults_per_step", faults.get(runtime.name()).toJson());
            json.set("kernel_seconds_per_step", kernel.get(runtime.name()).toJson());
        }
        ObjectNode result = doc.finish();
        result.put("libtorch", "the trainer's");
        return result;
    }

    /** In the child JVM: engine steps of the headline model, with this process's page faults and kernel time. */
    static ObjectNode child(String[] args) {
        boolean quick = Boolean.parseBoolean(args[0]);
        Workload work = Workload.headline(quick, MODEL_STEPS);
        Batch batch = work.batch(17);
        Samples seconds = new Samples();
        long[] before;
        long[] after;
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = BenchModels.initialize(work.config(), manager);
            EngineTrainer trainer = new EngineTrainer(model, new DftObjective());
            for (int i = 0; i < 2; i++) {
                trainer.step(List.of(batch));
            }
            before = processCounters();
            for (int i = 0; i < MODEL_STEPS; i++) {
                seconds.add(trainer.step(List.of(batch)));
            }
            after = processCounters();
        }
        ObjectNode result = Bench.JSON.createObjectNode();
        result.put("seconds", seconds.median());
        result.put("page_faults", (after[0] - before[0]) / (double) MODEL_STEPS);
        result.put("kernel_seconds", (after[1] - before[1]) / 100.0 / MODEL_STEPS);
        return result;
    }

    /** Minor page faults and kernel CPU ticks (1/100 s) of this process so far, from /proc/self/stat. */
    private static long[] processCounters() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[12])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
