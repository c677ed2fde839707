package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Start-up: from starting {@code bin/dftune run examples/arithmetic/job.yaml} (the launcher users
 * run, with its JVM options and memory allocator) to the first optimizer step's line in
 * {@code metrics.jsonl}, with the native libraries already unpacked and the trainer built. The
 * process is killed after its first step.
 */
final class StartupBench implements Benchmark {
    private static final double TARGET_SECONDS = 3.0;
    private static final long TIMEOUT_NANOS = 300_000_000_000L;
    private static final String FIRST_STEP = "first step done";
    private static final List<String> MARKS = List.of("model and data loaded", "eval before training done", FIRST_STEP);
    private static final String AS_SHIPPED = "bundled example as shipped";
    private static final List<String> VARIANTS = List.of(AS_SHIPPED, "same job without its eval set");

    @Override
    public ObjectNode run(Context context) {
        Context.requireFile(context.trainerJar(), "build the trainer (bench/run does: mvn -pl services/trainer -am package)");
        Path launcher = context.root().resolve("bin/dftune");
        int repeats = context.quick() ? 1 : 5;
        Map<String, Map<String, Samples>> variants = new LinkedHashMap<>();
        for (String variant : VARIANTS) {
            Map<String, Samples> marks = new LinkedHashMap<>();
            MARKS.forEach(m -> marks.put(m, new Samples()));
            variants.put(variant, marks);
        }
        for (int i = 0; i < repeats; i++) {
            for (String variant : VARIANTS) {
                Map<String, Double> run = once(context, launcher, variant.equals(AS_SHIPPED));
                Bench.log("start-up %s, run %d: %s", variant, i + 1, run);
                run.forEach((mark, seconds) -> variants.get(variant).get(mark).add(seconds));
            }
        }
        Doc doc = new Doc("Start-up: process start to first optimizer step");
        doc.line("`bin/dftune run examples/arithmetic/job.yaml` (the launcher, its JVM options and memory allocator, "
                + "%d libtorch threads), native libraries already unpacked, each run in a fresh copy of the example, the "
                + "two variants alternating, %d runs each. The example evaluates the base model before its first step "
                + "(token metrics and greedy decoding of its %s); the second variant is the same job with "
                + "`spec.data.eval` removed, i.e. the start-up cost alone. Seconds from process start to:%n",
                context.threads(), repeats, "200 eval prompts");
        List<List<String>> rows = new ArrayList<>();
        for (String mark : MARKS) {
            List<String> row = new ArrayList<>(List.of(mark));
            variants.values().forEach(marks -> row.add(marks.get(mark).count() == 0 ? "-"
                    : marks.get(mark).describe("%.2f")));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("mark"));
        header.addAll(VARIANTS);
        doc.table(header, rows);
        for (String variant : VARIANTS) {
            double first = variants.get(variant).get(FIRST_STEP).median();
            doc.summary("start-up to first optimizer step, " + variant, Doc.f("%.2f s", first), "< 3 s",
                    first < TARGET_SECONDS);
            ObjectNode json = doc.data().putObject(variant);
            variants.get(variant).forEach((mark, samples) -> json.set(mark, samples.toJson()));
        }
        ObjectNode result = doc.finish();
        result.put("libtorch", "the trainer's");
        return result;
    }

    private static Map<String, Double> once(Context context, Path launcher, boolean withEval) {
        Path dir = copyExample(context.root().resolve("examples/arithmetic"), withEval);
        List<String> command = List.of(launcher.toString(), "run", dir.resolve("job.yaml").toString());
        ProcessBuilder builder = context.processBuilder(command);
        builder.environment().put("DFTUNE_JAVA_OPTS", String.join(" ", context.libtorchOptions()));
        Map<String, Double> seen = new ConcurrentHashMap<>();
        Path metrics = dir.resolve("output/metrics.jsonl");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.redirectError(dir.resolve("stderr.txt").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> watchOutput(process, started, seen));
        reader.setDaemon(true);
        reader.start();
        try {
            while (!seen.containsKey(FIRST_STEP)) {
                if (System.nanoTime() - started > TIMEOUT_NANOS || !process.isAlive()) {
                    throw new IllegalStateException("no first step (exit " + (process.isAlive() ? "-" : process.exitValue())
                            + "); see " + dir.resolve("stderr.txt"));
                }
                if (Files.exists(metrics) && Files.readString(metrics).contains("\"type\":\"train\"")) {
                    seen.put(FIRST_STEP, (System.nanoTime() - started) / 1e9);
                }
                Thread.sleep(2);
            }
            process.destroyForcibly().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        deleteTree(dir);
        return seen;
    }

    private static void watchOutput(Process process, long started, Map<String, Double> seen) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                double at = (System.nanoTime() - started) / 1e9;
                if (line.startsWith("training ")) {
                    seen.putIfAbsent("model and data loaded", at);
                } else if (line.startsWith("eval before training")) {
                    seen.putIfAbsent("eval before training done", at);
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    private static Path copyExample(Path example, boolean withEval) {
        Path dir = Bench.tempDir("startup");
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
            if (!withEval) {
                Path job = dir.resolve("job.yaml");
                Files.write(job, Files.readAllLines(job).stream().filter(l -> !l.strip().startsWith("eval:")).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
