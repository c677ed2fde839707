package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass {@code promtool check rules} and {@code promtool test rules}, every alert is
 * tested both firing and silent, and the PrometheusRule carries exactly the rules file.
 */
class AlertRulesTest {
    static final Path RULES = Tools.CHART.resolve("rules/dftune-alerts.yaml");
    private static final Path RULE_TESTS =
            Path.of("src/test/promtool/dftune-alerts-test.yaml").toAbsolutePath();

    static JsonNode rules() {
        try {
            return Chart.YAML.readTree(RULES.toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Set<String> alertNames() {
        Set<String> names = new TreeSet<>();
        rules().path("groups").forEach(g -> g.path("rules")
                .forEach(r -> names.add(r.path("alert").asText())));
        return names;
    }

    @Test
    void promtoolChecksTheRules() {
        assertThat(Tools.run(List.of(Tools.promtool(), "check", "rules", RULES.toString()))
                        .assertOk("promtool check rules")
                        .output())
                .contains("SUCCESS: " + alertNames().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() {
        Tools.run(List.of(Tools.promtool(), "test", "rules", RULE_TESTS.toString()), RULE_TESTS.getParent())
                .assertOk("promtool test rules");
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() throws IOException {
        JsonNode tests = Chart.YAML.readTree(RULE_TESTS.toFile());
        assertThat(tests.path("rule_files").get(0).asText())
                .as("the tests load the chart's rules file")
                .isEqualTo(RULE_TESTS.getParent().relativize(RULES).toString());
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        tests.path("tests").forEach(t -> t.path("alert_rule_test").forEach(a -> {
            (a.path("exp_alerts").isEmpty() ? silent : firing)
                    .add(a.path("alertname").asText());
        }));
        assertThat(firing).isEqualTo(alertNames());
        assertThat(silent).isEqualTo(alertNames());
        List<String> unsilenced = new ArrayList<>();
        tests.path("tests").forEach(t -> {
            long expected = 0;
            Set<String> jobs = new TreeSet<>();
            for (JsonNode a : t.path("alert_rule_test")) {
                expected = Math.max(expected, a.path("exp_alerts").size());
            }
            t.path("input_series")
                    .forEach(s -> jobs.add(s.path("series").asText().replaceAll(".*job=\"([^\"]*)\".*", "$1")));
            if (jobs.size() <= expected) {
                unsilenced.add(t.path("name").asText());
            }
        });
        assertThat(unsilenced)
                .as("tests whose every job fires: add a series that must stay silent")
                .isEmpty();
    }

    @Test
    void thePrometheusRuleIsTheRulesFile() {
        JsonNode rule = Chart.render(List.of(), "--set", "metrics.prometheusRule.enabled=true")
                .one("PrometheusRule");
        assertThat(rule.path("spec")).isEqualTo(rules());
    }
}
