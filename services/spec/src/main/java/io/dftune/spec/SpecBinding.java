package io.dftune.spec;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a spec held as a JSON tree as strictly as a job file is read (unknown fields, unknown
 * enum values and wrong types are errors), but reports every field it cannot bind instead of
 * stopping at the first: each such field is left out (so it keeps its default) and named in a
 * {@link Violation}. For readers that must never fail on one bad object, such as the operator's
 * informer; the spec it returns still goes through {@link SpecValidator}.
 */
public final class SpecBinding {
    /**
     * The spec as far as it binds, and the fields that did not.
     *
     * @param spec the bound spec (an instance of the class asked for), never null
     * @param violations one per field that could not be bound, empty when all did
     */
    public record Result<T extends FineTuneJobSpec>(T spec, List<Violation> violations) {}

    private SpecBinding() {}

    /** Binds {@code tree} (the value of {@code spec}) to {@code type}, a FineTuneJobSpec or a subclass. */
    public static <T extends FineTuneJobSpec> Result<T> bind(JsonNode tree, Class<T> type) {
        List<Violation> violations = new ArrayList<>();
        JsonNode remaining = tree == null || tree.isNull() ? JsonNodeFactory.instance.objectNode() : tree.deepCopy();
        // Each round leaves out the field Jackson stopped at, so this ends within the tree's size.
        while (true) {
            try {
                return new Result<>(SpecMapper.JSON.treeToValue(remaining, type), List.copyOf(violations));
            } catch (JsonMappingException e) {
                violations.add(ManifestErrors.violation("spec", e));
                remaining = without(remaining, e.getPath());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                violations.add(new Violation("spec", String.valueOf(e.getOriginalMessage())));
                remaining = JsonNodeFactory.instance.objectNode();
            }
        }
    }

    /** The tree without the node at {@code path}; an empty object when the path is the whole tree. */
    private static JsonNode without(JsonNode tree, List<JsonMappingException.Reference> path) {
        if (path.isEmpty() || !tree.isContainerNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode parent = tree;
        for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
            JsonNode next = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            if (next == null || !next.isContainerNode()) {
                return JsonNodeFactory.instance.objectNode();
            }
            parent = next;
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last.getFieldName() != null && object.has(last.getFieldName())) {
            object.remove(last.getFieldName());
        } else if (parent instanceof ArrayNode array && last.getIndex() >= 0 && last.getIndex() < array.size()) {
            array.remove(last.getIndex());
        } else {
            // The error is about a container whose entry Jackson could not name: leave the container out.
            return without(tree, path.subList(0, path.size() - 1));
        }
        return tree;
    }
}
