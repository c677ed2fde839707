package io.dftune.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One {@code bin/dftune run} of the bundled example (the launcher users run, after the build), in
 * a fresh copy of it, until {@code metrics.jsonl} has a given number of training steps; then the
 * process is killed. Marks are seconds from process start to lines of its output.
 */
final class ExampleRun {
    private static final long TIMEOUT_NANOS = 300_000_000_000L;
    static final String LOADED = "model and data loaded";
    static final String EVALUATED = "eval before training done";
    static final String FIRST_STEP = "first step done";

    private final Map<String, Double> marks;
    private final List<String> metrics;

    private ExampleRun(Map<String, Double> marks, List<String> metrics) {
        this.marks = marks;
        this.metrics = metrics;
    }

    /**
     * @param editJob changes the lines of the example's job.yaml
     * @param jvmOptions added after the launcher's own JVM options (so they win)
     * @param env environment changes for the launcher: a null value removes the variable
     */
    static ExampleRun run(
            Context context,
            UnaryOperator<List<String>> editJob,
            List<String> jvmOptions,
            Map<String, String> env,
            int steps) {
        Path dir = copyExample(context.root().resolve("examples/arithmetic"), editJob);
        ProcessBuilder builder = context.processBuilder(
                List.of(
                        context.root().resolve("bin/dftune").toString(),
                        "run",
                        dir.resolve("job.yaml").toString()),
                env);
        List<String> options = new ArrayList<>(context.libtorchOptions());
        options.addAll(jvmOptions);
        builder.environment().put("DFTUNE_JAVA_OPTS", String.join(" ", options));
        Map<String, Double> marks = new ConcurrentHashMap<>();
        Path metrics = dir.resolve("output/metrics.jsonl");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.redirectError(dir.resolve("stderr.txt").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> watchOutput(process, started, marks));
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                if (System.nanoTime() - started > TIMEOUT_NANOS || !process.isAlive()) {
                    throw new IllegalStateException("no step " + steps + " (exit "
                            + (process.isAlive() ? "-" : process.exitValue()) + "); see " + dir.resolve("stderr.txt"));
                }
                List<String> trained = Files.exists(metrics)
                        ? Files.readAllLines(metrics).stream()
                                .filter(l -> l.contains("\"type\":\"train\""))
                                .toList()
                        : List.of();
                if (!trained.isEmpty()) {
                    marks.putIfAbsent(FIRST_STEP, (System.nanoTime() - started) / 1e9);
                }
                if (trained.size() >= steps) {
                    process.destroyForcibly().waitFor();
                    deleteTree(dir);
                    return new ExampleRun(Map.copyOf(marks), trained);
                }
                Thread.sleep(2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Seconds from process start to {@code mark}, or null when the run did not reach it. */
    Double mark(String mark) {
        return marks.get(mark);
    }

    Map<String, Double> marks() {
        return marks;
    }

    /** The {@code tokens_per_second} of each training step logged, from step {@code from} (1-based) on. */
    Samples tokensPerSecond(int from) {
        Samples rates = new Samples();
        for (String line : metrics.subList(from - 1, metrics.size())) {
            try {
                rates.add(Bench.JSON.readTree(line).get("tokens_per_second").asDouble());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rates;
    }

    private static void watchOutput(Process process, long started, Map<String, Double> marks) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                double at = (System.nanoTime() - started) / 1e9;
                if (line.startsWith("training ")) {
                    marks.putIfAbsent(LOADED, at);
                } else if (line.startsWith("eval before training")) {
                    marks.putIfAbsent(EVALUATED, at);
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    static Path copyExample(Path example, UnaryOperator<List<String>> editJob) {
        Path dir = Bench.tempDir("example");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path source : files.toList()) {
                Path relative = example.relativize(source);
                if (relative.startsWith("output")) {
                    continue;
                }
                Path target = dir.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
            Path job = dir.resolve("job.yaml");
            Files.write(job, editJob.apply(Files.readAllLines(job)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p :
                    files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
