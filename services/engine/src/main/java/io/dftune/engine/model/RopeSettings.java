package io.dftune.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Rotary-embedding fields: only unscaled ("default") rotary embeddings are supported. */
final class RopeSettings {
    private RopeSettings() {}

    static double theta(ConfigFields f) {
        checkDefault("rope_scaling", f.node("rope_scaling"));
        // Newer transformers versions move rope_theta and the type into rope_parameters.
        JsonNode parameters = f.node("rope_parameters");
        checkDefault("rope_parameters", parameters);
        if (!f.has("rope_theta") && parameters != null && parameters.isObject() && parameters.has("rope_theta")) {
            return new ConfigFields(parameters).positiveDouble("rope_theta", 10000.0);
        }
        return f.positiveDouble("rope_theta", 10000.0);
    }

    private static void checkDefault(String field, JsonNode node) {
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            throw new ModelConfigException(field + " must be null or an object, got " + node);
        }
        JsonNode type = node.has("rope_type") ? node.get("rope_type") : node.get("type");
        String name = type == null || type.isNull() ? null : type.asText();
        if (name == null && node.has("factor")) {
            throw new ModelConfigException(field + " has a factor but no type: " + node);
        }
        if (name != null && !name.equals("default")) {
            throw new ModelConfigException(field + " type \"" + name
                    + "\" is not supported (only unscaled rotary embeddings: rope_scaling null or type \"default\")");
        }
    }
}
