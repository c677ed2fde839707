package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.Phase;
import io.dftune.operator.metrics.OperatorMetrics;
import io.dftune.trainer.testing.PrometheusServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's own meters ({@link OperatorMetrics} on a Prometheus registry, served as the
 * operator serves /q/metrics) scraped by a real Prometheus that evaluates the chart's alert rules:
 * the operator's metric names are exported, every operator query of the dashboard returns data,
 * and the alerts on operator metrics fire on the real series.
 */
class OperatorMonitoringTest {
    private static final String NAMESPACE = "tests";
    private static final String JOB = "flaky";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Path dir;
    private static PrometheusMeterRegistry registry;
    private static OperatorMetrics metrics;
    private static HttpServer server;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startOperatorMetersAndPrometheus() throws Exception {
        dir = Files.createTempDirectory("dftune-operator-metrics-test-");
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics = new OperatorMetrics(registry);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        prometheus = new PrometheusServer(dir, server.getAddress().getPort(), List.of(AlertRulesTest.RULES));

        metrics.reconciled(true);
        metrics.phase(job(JOB), Phase.Running);
        metrics.phase(job("broken"), Phase.Failed);
        metrics.restarted(job(JOB), 1);
        // A few restarts after Prometheus has seen the first: increase() over them is positive.
        prometheus.awaitResult("dftune_operator_restarts_total{job=\"" + JOB + "\"}", WAIT);
        metrics.restarted(job(JOB), 3);
    }

    private static FineTuneJob job(String name) {
        FineTuneJob job = new FineTuneJob();
        job.setMetadata(
                new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).build());
        return job;
    }

    @AfterAll
    static void stop() throws Exception {
        LiveChecks.closeAll(dir, prometheus, server == null ? null : () -> server.stop(0));
    }

    @Test
    void theOperatorExportsTheNamesItDeclares() {
        String scrape = registry.scrape();
        for (String name : OperatorContract.metricNames()) {
            assertThat(scrape).containsPattern("(?m)^" + name + "[{ ]");
        }
    }

    @Test
    void everyOperatorQueryOfTheDashboardReturnsData() throws Exception {
        List<Dashboard.Query> queries = Dashboard.queries().stream()
                .filter(q -> {
                    Set<String> names = PromQl.metricNames(q.expr());
                    return !names.isEmpty() && OperatorContract.metricNames().containsAll(names);
                })
                .toList();
        assertThat(queries).extracting(Dashboard.Query::panel).contains("FineTuneJobs by phase", "Restarts");
        assertThat(LiveChecks.unanswered(prometheus, queries, NAMESPACE, JOB, v -> Double.isFinite(v) && v > 0, WAIT))
                .as("operator queries without a positive value")
                .isEmpty();
    }

    @Test
    void theAlertsOnOperatorMetricsFireOnItsRealSeries() throws Exception {
        Set<String> seen = new TreeSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline
                && !seen.containsAll(
                        Set.of("DftuneJobRestarting/firing/" + JOB, "DftuneFineTuneJobsFailed/pending/"))) {
            seen.clear();
            for (JsonNode alert : prometheus.api("alerts").path("alerts")) {
                seen.add(alert.path("labels").path("alertname").asText() + "/"
                        + alert.path("state").asText() + "/"
                        + alert.path("labels").path("job").asText(""));
            }
            Thread.sleep(500);
        }
        assertThat(seen)
                .as("restarts 4 within the hour; one job Failed (for 5m: pending)")
                .contains("DftuneJobRestarting/firing/" + JOB, "DftuneFineTuneJobsFailed/pending/");
    }
}
