package io.dftune.engine.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * What a chat template renders: the messages, and the tool definitions (JSON schemas as JSON-like Java values)
 * passed as {@code tools}, which is left undefined when there are none, as transformers leaves it.
 */
public record Conversation(List<ChatMessage> messages, List<Object> tools) {

    public Conversation {
        messages = List.copyOf(messages);
        tools = tools == null ? null : List.copyOf(Objects.requireNonNull(tools));
    }

    public static Conversation of(List<ChatMessage> messages) {
        return new Conversation(messages, null);
    }

    /** The first {@code n} messages, with the same tools. */
    public Conversation prefix(int n) {
        return new Conversation(messages.subList(0, n), tools);
    }
}
