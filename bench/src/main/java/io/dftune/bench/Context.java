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
        Path root =
                Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        String threads = System.getenv()
                .getOrDefault(
                        "BENCH_THREADS", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String jvmOptions = System.getProperty("bench.trainer-jvm-options", "").strip();
        return new Context(
                root,
                System.getProperty("java.class.path"),
                Integer.parseInt(threads),
                jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split("\\s+")),
                quick);
    }

    /** The libtorch thread settings every libtorch process of the harness gets (trainer processes included). */
    List<String> libtorchOptions() {
        return List.of(
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1");
    }

    /** Runs {@code Bench child task} in a fresh JVM, as the trainer's JVM runs, and returns what it wrote. */
    ObjectNode child(String task, String heap, List<String> args) {
        return child(task, heap, args, List.of(), Map.of());
    }

    /**
     * As {@link #child(String, String, List)}, with JVM options after the trainer's (so they win)
     * and environment changes (a null value removes the variable).
     */
    ObjectNode child(String task, String heap, List<String> args, List<String> jvmOptions, Map<String, String> env) {
        Path out = Bench.tempDir("child").resolve("result.json");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-cp", classpath));
        command.addAll(trainerJvmOptions);
        command.addAll(jvmOptions);
        command.addAll(libtorchOptions());
        command.addAll(List.of(Bench.class.getName(), "child", task, out.toString()));
        command.addAll(args);
        return readJson(start(processBuilder(command, env).inheritIO()), out, "child " + task + " " + args);
    }

    /** Runs {@code command} to its end and returns the JSON it wrote to {@code out}; fails on a non-zero exit. */
    ObjectNode runForJson(List<String> command, Path out, String what) {
        return runForJson(command, Map.of(), out, what);
    }

    /** As {@link #runForJson(List, Path, String)}, with environment changes (a null value removes the variable). */
    ObjectNode runForJson(List<String> command, Map<String, String> env, Path out, String what) {
        return readJson(start(processBuilder(command, env).inheritIO()), out, what);
    }

    private static ObjectNode readJson(int exit, Path out, String what) {
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
        return start(processBuilder(command).inheritIO());
    }

    /** Starts {@code builder}'s process and waits for its exit code. */
    private static int start(ProcessBuilder builder) {
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    ProcessBuilder processBuilder(List<String> command) {
        return processBuilder(command, Map.of());
    }

    /** A process in the repository root with the harness's environment, changed by {@code env} (null removes). */
    ProcessBuilder processBuilder(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("DJL_OFFLINE", "true");
        env.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
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
