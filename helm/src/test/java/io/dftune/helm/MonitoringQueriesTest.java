package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.testing.TinyJob;
import io.dftune.trainer.testing.PrometheusServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real trainer trains a tiny job while a real Prometheus scrapes it and evaluates the chart's
 * alert rules: every metric the dashboard and the rules name is exported, every trainer panel
 * query of the dashboard returns data for the job, and every rule evaluates without error.
 */
class MonitoringQueriesTest {
    private static final String NAMESPACE = "tests";
    private static final String JOB = "dashboard-test";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

    private static Path dir;
    private static TrainerProcess trainer;
    private static PrometheusServer prometheus;
    private static Set<String> exported;

    @BeforeAll
    static void startTrainerAndPrometheus() throws Exception {
        dir = Files.createTempDirectory("dftune-dashboard-test-");
        TinyJob.writeModelAndData(dir);
        Path job = TinyJob.writeManifest(dir, "job.yaml", TinyJob.manifest(JOB, "out", 1_000_000, 25));
        trainer = new TrainerProcess(dir, job);
        prometheus = new PrometheusServer(dir, trainer.port, List.of(AlertRulesTest.RULES));
        exported = new TreeSet<>();
        Matcher m = SAMPLE.matcher(trainer.scrape(WAIT));
        while (m.find()) {
            exported.add(m.group(1));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        LiveChecks.closeAll(dir, prometheus, trainer);
    }

    /** Every metric name the dashboard (panels and variables) and the alert rules read. */
    private static Set<String> namesUsed() {
        Set<String> names = new TreeSet<>();
        Dashboard.queries().forEach(q -> names.addAll(PromQl.metricNames(q.expr())));
        Dashboard.variableQueries()
                .forEach(v -> names.addAll(PromQl.metricNames(labelValues(v).group(1))));
        AlertRulesTest.rules().path("groups").forEach(g -> g.path("rules")
                .forEach(r -> names.addAll(PromQl.metricNames(r.path("expr").asText()))));
        return names;
    }

    private static Matcher labelValues(String variableQuery) {
        Matcher m = LABEL_VALUES.matcher(variableQuery);
        assertThat(m.matches())
                .as("a label_values(selector, label) query: %s", variableQuery)
                .isTrue();
        return m;
    }

    private static boolean isTrainerQuery(Dashboard.Query query) {
        return exported.containsAll(PromQl.metricNames(query.expr()));
    }

    @Test
    void everyMetricTheDashboardAndTheRulesUseIsExported() {
        Set<String> operator = OperatorContract.metricNames();
        Set<String> unknown = new TreeSet<>(namesUsed());
        unknown.removeAll(exported);
        unknown.removeAll(operator);
        assertThat(namesUsed()).as("sanity: names found").contains("dftune_train_loss", "dftune_train_nll");
        assertThat(unknown)
                .as("metric names neither the trainer nor the operator exports")
                .isEmpty();
    }

    @Test
    void everyTrainerPanelQueryReturnsDataForTheJob() throws Exception {
        List<Dashboard.Query> trainerQueries = Dashboard.queries().stream()
                .filter(MonitoringQueriesTest::isTrainerQuery)
                .toList();
        assertThat(trainerQueries).as("most panels plot trainer metrics").hasSizeGreaterThan(25);
        assertThat(LiveChecks.unanswered(prometheus, trainerQueries, NAMESPACE, JOB, Double::isFinite, WAIT))
                .as("panel queries without a finite value; trainer log:\n%s", trainer.log())
                .isEmpty();
    }

    @Test
    void theTemplateVariablesListTheJobsNamespaceAndName() throws Exception {
        List<String> variables = Dashboard.variableQueries();
        assertThat(variables).hasSize(2);
        Matcher namespace = labelValues(variables.get(0));
        Matcher job = labelValues(variables.get(1));
        assertThat(namespace.group(2)).isEqualTo("namespace");
        assertThat(job.group(2)).isEqualTo("job");
        assertThat(labelValuesOf(namespace.group(1), "namespace")).contains(NAMESPACE);
        assertThat(labelValuesOf(job.group(1).replace("$namespace", NAMESPACE), "job"))
                .containsExactly(JOB);
    }

    private static List<String> labelValuesOf(String selector, String label) throws Exception {
        String path = "label/" + label + "/values?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> values = new ArrayList<>();
        while (values.isEmpty() && System.nanoTime() < deadline) {
            prometheus.api(path).forEach(v -> values.add(v.asText()));
            Thread.sleep(250);
        }
        return values;
    }

    @Test
    void everyAlertRuleEvaluatesOnTheRealSeriesWithoutError() throws Exception {
        prometheus.awaitResult("dftune_train_loss{job=\"" + JOB + "\"}", WAIT);
        List<JsonNode> rules = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            rules.clear();
            prometheus.api("rules").path("groups").forEach(g -> g.path("rules").forEach(rules::add));
            if (rules.size() == AlertRulesTest.alertNames().size()
                    && rules.stream()
                            .allMatch(r -> r.path("lastEvaluation").asText().compareTo("2000") > 0)) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(rules)
                .extracting(r -> r.path("name").asText())
                .containsExactlyInAnyOrderElementsOf(AlertRulesTest.alertNames());
        for (JsonNode rule : rules) {
            assertThat(rule.path("health").asText())
                    .as(
                            "%s: %s",
                            rule.path("name").asText(), rule.path("lastError").asText())
                    .isEqualTo("ok");
            // Every alert needs minutes of data or a broken run to fire. (DFT from a random tiny model is the
            // collapse pattern itself, so DftuneNllRisingWhileLossFalls may well be pending.)
            assertThat(rule.path("state").asText())
                    .as(rule.path("name").asText())
                    .isNotEqualTo("firing");
        }
    }
}
