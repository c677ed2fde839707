package io.dftune.trainer.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A local run's training curve, read from the {@code "type":"train"} lines of its metrics.jsonl. */
final class MetricsFileCurve {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsFileCurve() {}

    static List<CurvePoint> read(Path metrics) {
        try (var lines = Files.lines(metrics)) {
            return lines.map(line -> parse(metrics, line))
                    .filter(n -> "train".equals(n.path("type").asText()))
                    .map(n -> new CurvePoint(
                            n.get("step").asLong(),
                            n.get("loss").asDouble(),
                            n.get("nll").asDouble(),
                            n.get("mean_target_prob").asDouble()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(metrics + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path metrics, String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(metrics + ": " + e.getMessage(), e);
        }
    }
}
