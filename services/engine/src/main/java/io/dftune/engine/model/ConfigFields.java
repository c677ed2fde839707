package io.dftune.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of config.json fields, with errors that name the field. */
final class ConfigFields {
    private final JsonNode json;
    private final String prefix;

    ConfigFields(JsonNode json) {
        this(json, "");
    }

    /** Fields of a nested object; errors name them as {@code prefix + field}, e.g. {@code rope_scaling.factor}. */
    ConfigFields(JsonNode json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    /** Whether the key is there at all, also with a null value (a null may mean something else than absent). */
    boolean hasKey(String field) {
        return json.has(field);
    }

    boolean has(String field) {
        JsonNode v = json.get(field);
        return v != null && !v.isNull();
    }

    JsonNode node(String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v;
    }

    int requiredPositiveInt(String field) {
        if (!has(field)) {
            throw new ModelConfigException(name(field) + " is missing");
        }
        return positiveInt(field, 0);
    }

    int positiveInt(String field, int defaultValue) {
        JsonNode v = node(field);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new ModelConfigException(name(field) + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    double requiredPositiveDouble(String field) {
        if (!has(field)) {
            throw new ModelConfigException(name(field) + " is missing");
        }
        return positiveDouble(field, 0);
    }

    double positiveDouble(String field, double defaultValue) {
        JsonNode v = node(field);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw new ModelConfigException(name(field) + " must be a positive number, got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String field, boolean defaultValue) {
        JsonNode v = node(field);
        if (v == null) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new ModelConfigException(name(field) + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    String text(String field) {
        JsonNode v = node(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ModelConfigException(name(field) + " must be a string, got " + v);
        }
        return v.asText();
    }

    Integer tokenId(String field) {
        JsonNode v = node(field);
        if (v == null) {
            return null;
        }
        return tokenIdValue(field, v);
    }

    /** A token id that may be one integer or a list of them (eos_token_id in newer configs). */
    List<Integer> tokenIds(String field) {
        JsonNode v = node(field);
        List<Integer> ids = new ArrayList<>();
        if (v == null) {
            return ids;
        }
        if (v.isArray()) {
            for (JsonNode element : v) {
                ids.add(tokenIdValue(field, element));
            }
        } else {
            ids.add(tokenIdValue(field, v));
        }
        return ids;
    }

    private int tokenIdValue(String field, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new ModelConfigException(name(field) + " must be a non-negative integer or a list of them, got " + v);
        }
        return v.asInt();
    }

    String name(String field) {
        return prefix + field;
    }
}
