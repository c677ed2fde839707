package io.dftune.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.io.MetricJson;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.StepMetric;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per optimizer step ({@code "type":"train"}) and per
 * evaluation ({@code "type":"eval"}). On resume, lines past the resumed step are dropped so the
 * file reads as one uninterrupted run.
 */
public final class MetricsLog implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path file, long keepThroughStep) {
        try {
            Files.createDirectories(file.getParent());
            List<String> kept = keptLines(file, keepThroughStep);
            out = Files.newBufferedWriter(
                    file,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            for (String line : kept) {
                out.write(line);
                out.newLine();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + file + ": " + e.getMessage(), e);
        }
    }

    public void append(StepMetrics m) {
        write(MetricJson.put(json.createObjectNode().put("type", "train"), StepMetric.values(), m::value));
    }

    public void append(EvalMetrics m) {
        write(MetricJson.put(json.createObjectNode().put("type", "eval"), EvalMetric.values(), m::value));
    }

    private void write(ObjectNode line) {
        try {
            out.write(json.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write metrics: " + e.getMessage(), e);
        }
    }

    private List<String> keptLines(Path file, long keepThroughStep) throws IOException {
        List<String> kept = new ArrayList<>();
        if (keepThroughStep <= 0 || !Files.exists(file)) {
            return kept;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode node = json.readTree(line);
                if (node != null && node.path("step").asLong(Long.MAX_VALUE) <= keepThroughStep) {
                    kept.add(line);
                }
            } catch (IOException e) {
                // A torn last line from a crash is dropped.
            }
        }
        return kept;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
