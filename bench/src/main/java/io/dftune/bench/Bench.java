package io.dftune.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness. {@code run [--quick] [--only a,b]} (what {@code bench/run} calls) runs every
 * benchmark, each in fresh child JVMs one after another, and rewrites the numbers section of
 * {@code bench/RESULTS.md}; {@code child TASK OUT.json ARGS...} is one such child.
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper();

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("child")) {
            ObjectNode result = ChildTasks.run(args[1], Arrays.copyOfRange(args, 3, args.length));
            JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[2]).toFile(), result);
            System.exit(0); // libtorch's thread pools would otherwise delay the exit
        }
        if (args.length >= 1 && args[0].equals("run")) {
            System.exit(orchestrate(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.err.println(
                "usage: bench/run [--quick] [--only speed,dft,packing,data-load,loss-memory,startup,runtime,fit,"
                        + "scaling,operator,status-latency,faults]");
        System.exit(2);
    }

    private static int orchestrate(String[] args) throws IOException {
        boolean quick = false;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only.addAll(Arrays.asList(args[++i].split(",")));
            } else {
                System.err.println("unknown argument " + args[i]);
                return 2;
            }
        }
        Context context = Context.fromEnvironment(quick);
        Map<String, Benchmark> all = new LinkedHashMap<>();
        all.put("speed", new TrainingSpeedBench());
        all.put("dft", new DftCostBench());
        all.put("packing", new PackingBench.Speed());
        all.put("data-load", new DataLoadBench());
        all.put("loss-memory", new LossMemoryBench());
        all.put("startup", new StartupBench());
        all.put("runtime", new RuntimeBench());
        all.put("scaling", new ScalingBench());
        all.put("fit", new FitBench());
        all.put("lora-precision", new LoraPrecisionBench());
        all.put("operator", new OperatorScaleBench());
        all.put("status-latency", new StatusLatencyBench());
        all.put("faults", new FaultInjectionBench());
        Report report = new Report(context, new ArrayList<>(all.keySet()));
        for (Map.Entry<String, Benchmark> entry : all.entrySet()) {
            if (!only.isEmpty() && !only.contains(entry.getKey())) {
                continue;
            }
            log("=== %s", entry.getKey());
            report.add(entry.getKey(), entry.getValue().run(context));
            report.write(); // after each: an interrupted run keeps what it measured
        }
        return 0;
    }

    static void log(String format, Object... args) {
        System.err.println(
                "[bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(format, args));
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("dftune-bench-" + prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
