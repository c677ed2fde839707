package io.dftune.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.StoragePaths;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The part of a spec that defines the run, as JSON: every spec field whose value may not change
 * once the FineTuneJob exists (the CRD's {@code self == oldSelf} rule: model, data, objective,
 * training, checkpoint, output, and whatever run section joins them). That is what the trainer
 * reads; the cluster fields, which may change under a running job, are left out. Whole sections are
 * copied through Jackson, never field by field, so a new field reaches the trainer by itself.
 */
final class RunFields {
    /** The CEL rule of the fields that define the run. */
    static final String IMMUTABLE = "self == oldSelf";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NAMES = immutableProperties();

    private RunFields() {}

    /** The JSON names of the run fields of {@link FineTuneJobSpec}. */
    static Set<String> names() {
        return NAMES;
    }

    /** A copy of the spec's run fields. */
    static ObjectNode of(FineTuneJobSpec spec) {
        ObjectNode tree = JSON.valueToTree(spec);
        tree.retain(NAMES);
        return tree;
    }

    /** The spec that holds only these run fields (the cluster fields at their defaults). */
    static FineTuneJobSpec toSpec(ObjectNode run) {
        try {
            return JSON.treeToValue(run, FineTuneJobSpec.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a spec's own fields do not bind back to the spec: " + e, e);
        }
    }

    /** Every {@code pvc://} value among the run fields, in document order. */
    static List<String> pvcPaths(JsonNode run) {
        List<String> paths = new ArrayList<>();
        collect(run, paths);
        return paths;
    }

    /** Replaces every {@code pvc://} value in place. */
    static void mapPvcPaths(JsonNode node, UnaryOperator<String> map) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (isPvc(field.getValue())) {
                    object.set(
                            field.getKey(),
                            TextNode.valueOf(map.apply(field.getValue().textValue())));
                } else {
                    mapPvcPaths(field.getValue(), map);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (isPvc(node.get(i))) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node)
                            .set(i, TextNode.valueOf(map.apply(node.get(i).textValue())));
                } else {
                    mapPvcPaths(node.get(i), map);
                }
            }
        }
    }

    private static void collect(JsonNode node, List<String> paths) {
        if (isPvc(node)) {
            paths.add(node.textValue());
        }
        node.forEach(child -> collect(child, paths));
    }

    private static boolean isPvc(JsonNode node) {
        return node.isTextual() && StoragePaths.isPvc(node.textValue());
    }

    private static Set<String> immutableProperties() {
        return JSON
                .getSerializationConfig()
                .introspect(JSON.constructType(FineTuneJobSpec.class))
                .findProperties()
                .stream()
                .filter(p -> isImmutable(p.getField()))
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean isImmutable(AnnotatedField field) {
        return field != null
                && Arrays.stream(field.getAnnotated().getAnnotationsByType(ValidationRule.class))
                        .anyMatch(rule -> IMMUTABLE.equals(rule.value()));
    }
}
