package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where and how benchmarks run: the repository root, the harness's classpath, the libtorch
 * thread count every child uses, the JVM options the trainer runs with, and whether this is a
 * quick smoke run (tiny sizes, few repeats).
 *
 * @param threads libtorch intra-op threads ({@code BENCH_THREADS}, default: all cores)
 * @param trainerJvmOptions what bin/dftune gives the trainer's JVM (bin/lib/runtime.sh, passed by bench/run)
 */
record Context(Path root, String classpath, int threads, List<String> trainerJvmOptions, boolean quick) {

    static Context fromEnvironment(boolean quick) {
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        String threads = System.getenv().getOrDefault("BENCH_THREADS",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        String jvmOptions = System.getProperty("bench.trainer-jvm-options", "").strip();
        return new Context(root, System.getProperty("java.class.path"), Integer.parseInt(threads),
                jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split("\\s+")), quick);
    }

    /** The libtorch thread settings every libtorch process of the harness gets (trainer processes included). */
    List<String> libtorchOptions() {
        return List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1");
    }

    /** Runs {@code Bench child task} in a fresh JVM, as the trainer's JVM runs, and returns what it wrote. */
    ObjectNode child(String task, String heap, List<String> args) {
        Path out = Bench.tempDir("child").resolve("result.json");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-cp", classpath));
        command.addAll(trainerJvmOptions);
        command.addAll(libtorchOptions());
        command.addAll(List.of(Bench.class.getName(), "child", task, out.toString()));
        command.addAll(args);
        return runForJson(command, out, "child " + task + " " + args);
    }

    /** Runs {@code command} to its end and returns the JSON it wrote to {@code out}; fails on a non-zero exit. */
    ObjectNode runForJson(List<String> command, Path out, String what) {
        int exit = runToEnd(command);
        if (exit != 0) {
            throw new IllegalStateException(what + " exited with " + exit);
        }
        try {
            return (ObjectNode) Bench.JSON.readTree(out.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged trainer (bench/run builds it). */
    Path trainerJar() {
        return root.resolve("services/trainer/target/quarkus-app/quarkus-run.jar");
    }

    /** Runs a process with the harness's environment and output; returns its exit code. */
    int runToEnd(List<String> command) {
        try {
            return processBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> env = builder.environment();
        env.put("DJL_OFFLINE", "true");
        return builder;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void requireFile(Path file, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: " + hint);
        }
    }
}
