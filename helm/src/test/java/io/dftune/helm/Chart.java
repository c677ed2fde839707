package io.dftune.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The chart rendered by the real helm: {@code helm template} with values files and --set options. */
final class Chart {
    static final String RELEASE = "dftune";
    static final String NAMESPACE = "dftune-system";
    /** Everything switched on, the operator watching every namespace. */
    static final Path FULL_VALUES =
            Path.of("src/test/resources/values-full.yaml").toAbsolutePath();
    /** Everything switched on, the operator watching two namespaces. */
    static final Path NAMESPACED_VALUES =
            Path.of("src/test/resources/values-namespaced.yaml").toAbsolutePath();

    static final ObjectMapper YAML = new YAMLMapper();

    private final List<JsonNode> documents;
    final String text;

    private Chart(String text) {
        this.text = text;
        this.documents = parseAll(text);
    }

    /** helm template with these values files (none: the defaults) and extra arguments such as --set a=b. */
    static Chart render(List<Path> valuesFiles, String... extraArgs) {
        Tools.Result result = Tools.run(helmTemplate(valuesFiles, extraArgs));
        return new Chart(result.assertOk("helm template").output());
    }

    static Chart render(Path valuesFile) {
        return render(List.of(valuesFile));
    }

    static Chart defaults() {
        return render(List.of());
    }

    /** helm template's outcome without failing on errors (for values the schema must reject). */
    static Tools.Result tryRender(String... extraArgs) {
        return Tools.run(helmTemplate(List.of(), extraArgs));
    }

    private static List<String> helmTemplate(List<Path> valuesFiles, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                Tools.helm().toString(), "template", RELEASE, Tools.CHART.toString(), "--namespace", NAMESPACE));
        for (Path values : valuesFiles) {
            command.addAll(List.of("--values", values.toString()));
        }
        command.addAll(List.of(extraArgs));
        return command;
    }

    static List<JsonNode> parseAll(String yaml) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(yaml)) {
                var it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && doc.isObject() && doc.size() > 0) {
                        docs.add(doc);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<JsonNode> documents() {
        return documents;
    }

    Stream<JsonNode> ofKind(String kind) {
        return documents.stream().filter(kind(kind));
    }

    JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size());
        }
        return found.get(0);
    }

    static Predicate<JsonNode> kind(String kind) {
        return doc -> kind.equals(doc.path("kind").asText());
    }

    /** The operator container of the Deployment. */
    JsonNode operatorContainer() {
        return one("Deployment")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    }

    /** The operator container's environment as name -> value. */
    ObjectNode operatorEnv() {
        ObjectNode env = YAML.createObjectNode();
        operatorContainer().path("env").forEach(e -> env.set(e.path("name").asText(), e.path("value")));
        return env;
    }
}
