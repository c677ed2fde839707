package io.dftune.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Grafana dashboard of the chart (dashboards/dftune.json) and its queries. */
final class Dashboard {
    static final Path FILE = Tools.CHART.resolve("dashboards/dftune.json");

    /** One query of one panel. */
    record Query(String panel, String refId, String expr) {
        /** The query as Grafana sends it, with the dashboard's variables and Grafana's own ones replaced. */
        String substituted(String namespace, String job) {
            return expr.replace("$namespace", namespace)
                    .replace("$job", job)
                    .replace("$__rate_interval", "1m")
                    .replace("$__interval", "15s")
                    .replace("$__range", "5m");
        }
    }

    private Dashboard() {}

    static JsonNode json() {
        try {
            return new ObjectMapper().readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel except rows. */
    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        json().path("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asText())) {
                panels.add(p);
            }
        });
        return panels;
    }

    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            panel.path("targets")
                    .forEach(t -> queries.add(new Query(
                            panel.path("title").asText(),
                            t.path("refId").asText(),
                            t.path("expr").asText())));
        }
        return queries;
    }

    /** The queries of the namespace and job variables. */
    static List<String> variableQueries() {
        List<String> queries = new ArrayList<>();
        json().path("templating").path("list").forEach(v -> {
            if ("query".equals(v.path("type").asText())) {
                queries.add(v.path("definition").asText());
            }
        });
        return queries;
    }
}
