package io.dftune.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard's structure, what it shows, and the ConfigMap that ships it. */
class DashboardTest {
    private static final String PER_JOB = "namespace=\"$namespace\", job=\"$job\"";

    @Test
    void panelsAreWellFormedGrafanaPanelsOnTheDatasourceVariable() {
        JsonNode dashboard = Dashboard.json();
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        assertThat(dashboard.path("title").asText()).isNotEmpty();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique id %s", panel.path("id"))
                    .isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt())
                    .as(panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
            assertThat(grid.path("h").asInt()).isPositive();
        }
        for (JsonNode panel : Dashboard.panels()) {
            String title = panel.path("title").asText();
            assertThat(panel.path("type").asText()).as(title).isIn("timeseries", "stat", "gauge");
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            panel.path("targets").forEach(t -> {
                assertThat(refIds.add(t.path("refId").asText()))
                        .as("%s: unique refId", title)
                        .isTrue();
                assertThat(t.path("expr").asText()).as(title).isNotBlank();
                assertThat(t.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            });
        }
    }

    @Test
    void namespaceAndJobVariablesComeFromTheTrainersLabels() {
        List<JsonNode> variables = toList(Dashboard.json().path("templating").path("list"));
        assertThat(variables)
                .extracting(v -> v.path("name").asText())
                .containsExactly("datasource", "namespace", "job");
        assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
        assertThat(variables.get(1).path("definition").asText())
                .startsWith("label_values(")
                .endsWith(", namespace)");
        assertThat(variables.get(2).path("definition").asText())
                .contains("namespace=\"$namespace\"")
                .endsWith(", job)");
        assertThat(variables.get(2).path("query").asText())
                .isEqualTo(variables.get(2).path("definition").asText());
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    @Test
    void everyQueryOutsideTheFleetRowIsAboutTheSelectedJob() {
        boolean fleet = false;
        for (JsonNode panel : Dashboard.json().path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                fleet = panel.path("title").asText().equals("Fleet");
                continue;
            }
            if (!fleet) {
                panel.path("targets").forEach(t -> assertThat(t.path("expr").asText())
                        .as(panel.path("title").asText())
                        .contains(PER_JOB));
            }
        }
    }

    @Test
    void theDashboardShowsWhatAFineTuneNeedsWatched() {
        Set<String> metrics = new TreeSet<>();
        Dashboard.queries().forEach(q -> metrics.addAll(PromQl.metricNames(q.expr())));
        assertThat(metrics)
                .contains(
                        "dftune_train_loss",
                        "dftune_train_nll",
                        "dftune_train_mean_target_prob",
                        "dftune_train_low_prob_token_ratio",
                        "dftune_train_learning_rate",
                        "dftune_train_grad_norm",
                        "dftune_train_tokens_per_second",
                        "dftune_train_step",
                        "dftune_train_total_steps",
                        "dftune_train_step_duration_seconds_sum",
                        "dftune_eval_nll",
                        "dftune_eval_exact_match",
                        "dftune_checkpoint_step",
                        "dftune_operator_restarts_total",
                        "dftune_operator_finetunejobs",
                        "dftune_run_gpu_seconds_total",
                        "dftune_run_phase");
        JsonNode lossPanel = Dashboard.panels().stream()
                .filter(p -> p.path("title").asText().equals("Loss and NLL"))
                .findFirst()
                .orElseThrow();
        Set<String> together = new TreeSet<>();
        lossPanel
                .path("targets")
                .forEach(t -> together.addAll(PromQl.metricNames(t.path("expr").asText())));
        assertThat(together)
                .as("DFT's loss is never shown without NLL")
                .contains("dftune_train_loss", "dftune_train_nll");
    }

    @Test
    void theConfigMapCarriesTheDashboardAndTheSidecarLabel() throws IOException {
        JsonNode configMap = Chart.render(Chart.FULL_VALUES).one("ConfigMap");
        assertThat(configMap
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText())
                .isEqualTo("1");
        assertThat(configMap.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
        assertThat(configMap
                        .path("metadata")
                        .path("annotations")
                        .path("grafana_folder")
                        .asText())
                .isEqualTo("ML");
        assertThat(Chart.YAML.readTree(
                        configMap.path("data").path("dftune.json").asText()))
                .isEqualTo(Chart.YAML.readTree(Files.readString(Dashboard.FILE)));
        JsonNode custom = Chart.render(Chart.NAMESPACED_VALUES).one("ConfigMap");
        assertThat(custom.path("metadata").path("labels").path("dashboards").asText())
                .isEqualTo("dftune");
        assertThat(custom.path("metadata").path("labels").has("grafana_dashboard"))
                .isFalse();
    }
}
