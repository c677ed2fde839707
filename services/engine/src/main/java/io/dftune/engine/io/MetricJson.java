package io.dftune.engine.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.spec.run.ReportedMetric;
import java.util.OptionalDouble;
import java.util.function.Function;

/** Reported metrics as JSON fields under their keys (metrics.jsonl, {@code dftune eval}'s last line). */
public final class MetricJson {
    private MetricJson() {}

    /** Puts every metric that has a value into {@code node}; whole-number metrics without a fraction. */
    public static <M extends ReportedMetric> ObjectNode put(
            ObjectNode node, M[] metrics, Function<M, OptionalDouble> values) {
        for (M metric : metrics) {
            OptionalDouble value = values.apply(metric);
            if (value.isPresent()) {
                if (metric.info().integral()) {
                    node.put(metric.key(), (long) value.getAsDouble());
                } else {
                    node.put(metric.key(), value.getAsDouble());
                }
            }
        }
        return node;
    }
}
