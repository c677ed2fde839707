package io.dftune.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The config.json files of released models kept under {@code src/test/resources/hf-configs/}
 * (written from the published files; {@code Llama-3.2-1B.transformers5} is that model's config in
 * the layout transformers 5 saves, RoPE fields under {@code rope_parameters}), and small variants
 * of them for tests that run a model.
 */
public final class RealConfigs {
    public static final List<String> NAMES = List.of(
            "Llama-3.2-1B",
            "Llama-3.2-1B.transformers5",
            "Llama-3.2-3B",
            "Llama-3.1-8B",
            "SmolLM2-135M",
            "Qwen2.5-0.5B",
            "Qwen2.5-1.5B",
            "Qwen2.5-7B",
            "Qwen2.5-Math-1.5B",
            "Qwen3-0.6B",
            "Qwen3-8B",
            "Mistral-7B-v0.1",
            "Mistral-7B-v0.3");

    /**
     * Above this many bytes of float32 embedding and LM-head weights a test model gets narrower
     * hidden and intermediate widths. Only SmolLM2-135M (113 MB) keeps its real widths: the others'
     * vocabularies of 128k-152k tokens make 0.5-4.4 GB at their real widths, which the float64
     * reference would double.
     */
    static final long EMBEDDING_BUDGET_BYTES = 128L << 20;

    static final int NARROW_HIDDEN = 32;
    static final int NARROW_INTERMEDIATE = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RealConfigs() {}

    /** The released config, as committed. */
    public static ObjectNode json(String name) {
        String resource = "/hf-configs/" + name + ".json";
        try (InputStream in = RealConfigs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The config with {@code layers} layers, and with hidden and intermediate sizes narrowed when
     * the embeddings would exceed {@link #EMBEDDING_BUDGET_BYTES}. Everything else is kept: the
     * vocabulary, heads, key/value heads and head_dim (written explicitly when hidden_size
     * changes, since it no longer follows from it), RoPE settings, biases, window, tying.
     */
    public static ObjectNode small(String name, int layers) {
        ObjectNode config = json(name);
        config.put("num_hidden_layers", layers);
        long vocab = config.get("vocab_size").asLong();
        int hidden = config.get("hidden_size").asInt();
        boolean tied = config.path("tie_word_embeddings").asBoolean(false);
        long embeddingBytes = vocab * hidden * 4 * (tied ? 1 : 2);
        if (embeddingBytes > EMBEDDING_BUDGET_BYTES) {
            if (!config.hasNonNull("head_dim")) {
                config.put(
                        "head_dim", hidden / config.get("num_attention_heads").asInt());
            }
            config.put("hidden_size", NARROW_HIDDEN);
            config.put("intermediate_size", NARROW_INTERMEDIATE);
        }
        return config;
    }

    /**
     * The config with a feature switched on that no released config of these uses within a short
     * test sequence: {@code "window N"} (sliding_window), {@code "llama3 over N positions"}
     * (original_max_position_embeddings of a llama3 rope_parameters), {@code "linear rope xN"}
     * (rope_scaling), {@code "attention bias"}; {@code ""} changes nothing.
     */
    public static ObjectNode variant(ObjectNode config, String variant) {
        String[] words = variant.split(" ");
        if (variant.isEmpty()) {
            return config;
        } else if (variant.matches("window \\d+")) {
            config.put("sliding_window", Integer.parseInt(words[1]));
        } else if (variant.matches("llama3 over \\d+ positions")) {
            ((ObjectNode) config.get("rope_parameters"))
                    .put("original_max_position_embeddings", Integer.parseInt(words[2]));
        } else if (variant.matches("linear rope x\\d+")) {
            config.putObject("rope_scaling")
                    .put("type", "linear")
                    .put("factor", Double.parseDouble(words[2].substring(1)));
        } else if (variant.equals("attention bias")) {
            config.put("attention_bias", true);
        } else {
            throw new IllegalArgumentException("unknown variant " + variant);
        }
        return config;
    }
}
