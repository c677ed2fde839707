package io.dftune.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Hugging Face causal-LM architectures this project can train. */
public enum Architecture {
    LLAMA("LlamaForCausalLM", "llama"),
    QWEN2("Qwen2ForCausalLM", "qwen2");

    private final String className;
    private final String modelType;

    Architecture(String className, String modelType) {
        this.className = className;
        this.modelType = modelType;
    }

    /** The name config.json's {@code architectures} lists, e.g. {@code LlamaForCausalLM}. */
    public String className() {
        return className;
    }

    /** config.json's {@code model_type}, e.g. {@code llama}. */
    public String modelType() {
        return modelType;
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
