package io.dftune.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.trainer.testing.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.stream.DoubleStream;

/** Shared steps of the tests that run dashboard queries against a real Prometheus. */
final class LiveChecks {
    private LiveChecks() {}

    /**
     * Runs each query (variables substituted) until one of its series has a value that {@code ok}
     * accepts, all within one timeout; returns the queries that never had one, with their results.
     */
    static List<String> unanswered(
            PrometheusServer prometheus,
            List<Dashboard.Query> queries,
            String namespace,
            String job,
            DoublePredicate ok,
            Duration timeout)
            throws InterruptedException {
        List<String> unanswered = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Dashboard.Query query : queries) {
            String promql = query.substituted(namespace, job);
            while (!values(prometheus.query(promql)).anyMatch(ok) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            JsonNode result = prometheus.query(promql);
            if (!values(result).anyMatch(ok)) {
                unanswered.add(query.panel() + " " + query.refId() + ": " + promql + " = " + result);
            }
        }
        return unanswered;
    }

    static DoubleStream values(JsonNode result) {
        List<Double> values = new ArrayList<>();
        result.forEach(series -> values.add(
                Double.parseDouble(series.path("value").get(1).asText().replace("Inf", "Infinity"))));
        return values.stream().mapToDouble(Double::doubleValue);
    }

    /** Closes what was started (nulls skipped), in order, then deletes the test's folder. */
    static void closeAll(Path dir, AutoCloseable... started) throws Exception {
        try {
            for (AutoCloseable c : started) {
                if (c != null) {
                    c.close();
                }
            }
        } finally {
            if (dir != null) {
                AtomicDirectory.deleteRecursively(dir);
            }
        }
    }
}
