package io.dftune.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Rotary position embedding settings of a config.json, and the inverse frequencies they give,
 * computed as transformers computes them.
 *
 * <p>Two layouts are read: transformers 4 writes {@code rope_theta} and {@code rope_scaling}
 * (null for plain RoPE); transformers 5 writes one {@code rope_parameters} object holding the
 * theta, the type and the scaling fields. As in transformers 5, a non-null {@code rope_scaling}
 * wins over {@code rope_parameters}, and a theta inside the object wins over a top-level one.
 *
 * @param theta the base period
 * @param type how the frequencies are scaled
 * @param factor linear and llama3: frequencies are divided by it (llama3: the low ones); 1 for default
 * @param lowFreqFactor llama3: wavelengths above {@code originalMaxPositions / lowFreqFactor} are scaled
 * @param highFreqFactor llama3: wavelengths below {@code originalMaxPositions / highFreqFactor} are kept
 * @param originalMaxPositions llama3: the context length of pre-training
 */
public record RopeSettings(
        double theta, Type type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    /** The rope_type values this project computes; others (dynamic, yarn, longrope, ...) are refused. */
    public enum Type {
        DEFAULT,
        LINEAR,
        LLAMA3;

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static String supportedList() {
            return Arrays.stream(values()).map(Type::configName).collect(Collectors.joining(", "));
        }
    }

    private static final double DEFAULT_THETA = 10000.0;

    /** Unscaled RoPE with the given theta. */
    public static RopeSettings plain(double theta) {
        return new RopeSettings(theta, Type.DEFAULT, 1, 0, 0, 0);
    }

    static RopeSettings read(ConfigFields config, int maxPositionEmbeddings) {
        JsonNode scaling = config.node("rope_scaling");
        String field = scaling != null ? "rope_scaling" : "rope_parameters";
        JsonNode node = scaling != null ? scaling : config.node("rope_parameters");
        if (node != null && !node.isObject()) {
            throw new ModelConfigException(field + " must be null or an object, got " + node);
        }
        ConfigFields p = new ConfigFields(node == null ? JsonNodeFactory.instance.objectNode() : node, field + ".");
        refusePartialRotation(config);
        refusePartialRotation(p);
        double theta = p.has("rope_theta")
                ? p.positiveDouble("rope_theta", DEFAULT_THETA)
                : config.positiveDouble("rope_theta", DEFAULT_THETA);
        String named = p.has("rope_type") ? p.text("rope_type") : p.text("type");
        if (named == null && p.has("factor")) {
            throw new ModelConfigException(field + " has a factor but no rope_type: " + node);
        }
        String typeName = named == null ? "default" : named;
        Type type = Arrays.stream(Type.values())
                .filter(t -> t.configName().equals(typeName))
                .findFirst()
                .orElseThrow(() -> new ModelConfigException(field + " type \"" + typeName
                        + "\" is not supported (supported: " + Type.supportedList() + ")"));
        return switch (type) {
            case DEFAULT -> plain(theta);
            case LINEAR -> new RopeSettings(theta, type, p.requiredPositiveDouble("factor"), 0, 0, 0);
            case LLAMA3 -> {
                double low = p.requiredPositiveDouble("low_freq_factor");
                double high = p.requiredPositiveDouble("high_freq_factor");
                if (high <= low) {
                    throw new ModelConfigException(p.name("high_freq_factor") + " (" + high + ") must be greater than "
                            + p.name("low_freq_factor") + " (" + low + ")");
                }
                int original = p.positiveInt("original_max_position_embeddings", maxPositionEmbeddings);
                yield new RopeSettings(theta, type, p.requiredPositiveDouble("factor"), low, high, original);
            }
        };
    }

    private static void refusePartialRotation(ConfigFields fields) {
        if (fields.has("partial_rotary_factor") && fields.positiveDouble("partial_rotary_factor", 1) != 1.0) {
            throw new ModelConfigException(fields.name("partial_rotary_factor")
                    + " is not supported (rotary embeddings over the whole head only)");
        }
    }

    /**
     * The {@code headDim / 2} inverse frequencies, in float32 arithmetic step by step as transformers
     * computes them ({@code 1 / theta^(2i / d)}, then the type's scaling), so that angles at long
     * positions round as they do there.
     */
    float[] inverseFrequencies(int headDim) {
        float[] inv = new float[headDim / 2];
        float base = (float) theta;
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inv[i] = 1.0f / (float) Math.pow(base, exponent);
        }
        switch (type) {
            case DEFAULT -> {}
            case LINEAR -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = inv[i] / (float) factor;
                }
            }
            case LLAMA3 -> scaleLlama3(inv);
        }
        return inv;
    }

    /**
     * Llama 3.1's frequency-dependent scaling: wavelengths longer than the pre-training context over
     * low_freq_factor are divided by factor, those shorter than it over high_freq_factor are kept,
     * and the ones between are interpolated smoothly.
     */
    private void scaleLlama3(float[] inv) {
        float lowFreqWavelength = (float) (originalMaxPositions / lowFreqFactor);
        float highFreqWavelength = (float) (originalMaxPositions / highFreqFactor);
        float twoPi = (float) (2 * Math.PI);
        float f = (float) factor;
        float low = (float) lowFreqFactor;
        float span = (float) (highFreqFactor - lowFreqFactor);
        for (int i = 0; i < inv.length; i++) {
            float wavelength = twoPi / inv[i];
            if (wavelength > lowFreqWavelength) {
                inv[i] = inv[i] / f;
            } else if (!(wavelength < highFreqWavelength)) {
                float smooth = ((float) originalMaxPositions / wavelength - low) / span;
                inv[i] = (1 - smooth) * inv[i] / f + smooth * inv[i];
            }
        }
    }

    @Override
    public String toString() {
        return switch (type) {
            case DEFAULT -> "rope(theta=" + theta + ")";
            case LINEAR -> "rope(theta=" + theta + ", linear factor=" + factor + ")";
            case LLAMA3 ->
                "rope(theta=" + theta + ", llama3 factor=" + factor + ", low=" + lowFreqFactor + ", high="
                        + highFreqFactor + ", original=" + originalMaxPositions + ")";
        };
    }
}
