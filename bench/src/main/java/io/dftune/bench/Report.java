package io.dftune.bench;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.nd.MemoryAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Collects benchmark results into {@code bench/results/latest.json} (results of benchmarks not
 * run this time are kept from the previous run, with their own machine line) and rewrites the
 * part of {@code bench/RESULTS.md} between the numbers markers. A quick run writes
 * {@code bench/target/RESULTS-quick.md} instead and leaves both alone.
 */
final class Report {
    static final String BEGIN = "<!-- numbers:begin (written by bench/run; edit outside these markers) -->";
    static final String END = "<!-- numbers:end -->";

    private final Context context;
    /** The benchmarks' names in the order their sections appear. */
    private final List<String> order;

    private final ObjectNode all;
    private final String loadBefore;

    Report(Context context, List<String> order) {
        this.context = context;
        this.order = List.copyOf(order);
        this.loadBefore = loadAverage();
        Path latest = latestFile();
        try {
            all = !context.quick() && Files.exists(latest)
                    ? (ObjectNode) Bench.JSON.readTree(latest.toFile())
                    : Bench.JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(String name, ObjectNode result) {
        result.put(
                "machine",
                machine(
                        result.path("libtorch").asText("?"),
                        result.path("torch_threads").asInt(context.threads()),
                        result.path("allocator").asText(MemoryAllocator.inUse())));
        all.set(name, result);
    }

    void write() {
        StringBuilder numbers = new StringBuilder();
        numbers.append("## Summary\n\n| what | measured | target | holds |\n|---|---|---|---|\n");
        for (String name : order) {
            JsonNode result = all.get(name);
            if (result != null) {
                for (JsonNode row : result.get("rows")) {
                    JsonNode holds = row.get("holds");
                    numbers.append("| ")
                            .append(row.get("what").asText())
                            .append(" | ")
                            .append(row.get("measured").asText())
                            .append(" | ")
                            .append(row.get("target").asText())
                            .append(" | ")
                            .append(holds.isNull() ? "-" : holds.asBoolean() ? "yes" : "**no**")
                            .append(" |\n");
                }
            }
        }
        numbers.append("\n## Details\n\n");
        for (String name : order) {
            JsonNode result = all.get(name);
            if (result != null) {
                numbers.append(result.get("markdown").asText());
                numbers.append("_Machine: ")
                        .append(result.get("machine").asText())
                        .append("_\n\n");
            }
        }
        try {
            if (context.quick()) {
                Path out = context.root().resolve("bench/target/RESULTS-quick.md");
                Files.createDirectories(out.getParent());
                Files.writeString(out, numbers.toString());
                Bench.log("quick run: wrote %s (RESULTS.md untouched)", out);
                return;
            }
            Files.createDirectories(latestFile().getParent());
            Bench.JSON.writerWithDefaultPrettyPrinter().writeValue(latestFile().toFile(), all);
            Path results = context.root().resolve("bench/RESULTS.md");
            String text = Files.exists(results) ? Files.readString(results) : BEGIN + "\n" + END + "\n";
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException(results + " lacks the numbers markers");
            }
            Files.writeString(
                    results, text.substring(0, begin + BEGIN.length()) + "\n\n" + numbers + text.substring(end));
            Bench.log("wrote %s and %s", results, latestFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path latestFile() {
        return context.root().resolve("bench/results/latest.json");
    }

    /**
     * CPU, cores, memory, Java, DJL, libtorch, threads, memory allocator (the harness's, which its
     * children inherit, unless the result names its own), date and load: never a host name or path.
     */
    private String machine(String libtorch, int threads, String allocator) {
        return Doc.f(
                "%s, %d cores, %.0f GiB RAM; Java %s; DJL %s, libtorch %s (CPU); %d libtorch threads; memory "
                        + "allocator %s; %s UTC; load average before/after: %s / %s",
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                LossMemoryBench.meminfo("/proc/meminfo", "MemTotal:") / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"),
                Engine.getDjlVersion(),
                libtorch,
                threads,
                allocator,
                Instant.now().truncatedTo(ChronoUnit.MINUTES),
                loadBefore,
                loadAverage());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
