package io.dftune.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The Hugging Face causal-LM architectures this project can train, with the defaults their
 * transformers config classes give fields that config.json leaves out.
 */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama", 2048),
    QWEN2("Qwen2ForCausalLM", "qwen2", 32768),
    QWEN3("Qwen3ForCausalLM", "qwen3", 32768),
    MISTRAL("MistralForCausalLM", "mistral", 4096 * 32);

    private final String className;
    private final String modelType;
    private final int defaultMaxPositionEmbeddings;

    Architecture(String className, String modelType, int defaultMaxPositionEmbeddings) {
        this.className = className;
        this.modelType = modelType;
        this.defaultMaxPositionEmbeddings = defaultMaxPositionEmbeddings;
    }

    /** The name config.json's {@code architectures} lists, e.g. {@code LlamaForCausalLM}. */
    public String className() {
        return className;
    }

    /** config.json's {@code model_type}, e.g. {@code llama}. */
    public String modelType() {
        return modelType;
    }

    int defaultMaxPositionEmbeddings() {
        return defaultMaxPositionEmbeddings;
    }

    /** num_key_value_heads when config.json leaves it out (the config classes' defaults differ). */
    int defaultKeyValueHeads(int attentionHeads) {
        return switch (this) {
            case LLAMA -> attentionHeads;
            case QWEN2, QWEN3 -> 32;
            case MISTRAL -> 8;
        };
    }

    /** head_dim when config.json leaves it out: Qwen3's config class fixes 128, the others divide. */
    Integer defaultHeadDim(int hiddenSize, int attentionHeads) {
        if (this == QWEN3) {
            return 128;
        }
        return hiddenSize % attentionHeads == 0 ? hiddenSize / attentionHeads : null;
    }

    /** Whether each attention layer normalises queries and keys per head (q_norm, k_norm) before RoPE. */
    boolean hasQkNorm() {
        return this == QWEN3;
    }

    static Architecture fromClassName(String name) {
        return Arrays.stream(values())
                .filter(a -> a.className.equals(name))
                .findFirst()
                .orElse(null);
    }

    static Architecture fromModelType(String type) {
        return Arrays.stream(values())
                .filter(a -> a.modelType.equals(type))
                .findFirst()
                .orElse(null);
    }

    static String supportedList() {
        return Arrays.stream(values())
                .map(a -> a.className + " (model_type " + a.modelType + ")")
                .collect(Collectors.joining(", "));
    }
}
