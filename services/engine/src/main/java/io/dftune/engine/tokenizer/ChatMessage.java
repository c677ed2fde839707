package io.dftune.engine.tokenizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chat turn as chat templates see it: the message object of the data, with {@code role}, {@code content}
 * (a string, a list of parts such as {@code {"type": "text", "text": ...}}, or null) and any other keys
 * ({@code tool_calls}, {@code reasoning_content}, {@code name}, ...), as JSON-like Java values (String, Number,
 * Boolean, null, List, Map) in the order the data gave them. Templates receive it unchanged, as transformers
 * passes the message dicts.
 */
public record ChatMessage(Map<String, Object> fields) {

    public ChatMessage {
        Objects.requireNonNull(fields, "fields");
        if (!(fields.get("role") instanceof String)) {
            throw new IllegalArgumentException("a chat message needs a string role, got " + fields.get("role"));
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ChatMessage of(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return new ChatMessage(m);
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    public String role() {
        return (String) fields.get("role");
    }

    /** The content as given: a string, a list of parts, or null. */
    public Object content() {
        return fields.get("content");
    }

    /** The text of the content: the string itself, or the {@code text} of each text part joined; empty for null. */
    public String text() {
        Object c = content();
        if (c instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        if (c instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> p && "text".equals(p.get("type")) && p.get("text") instanceof String t) {
                    out.append(t);
                }
            }
        }
        return out.toString();
    }
}
