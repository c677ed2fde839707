package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to a record's fields, with errors that name the key. */
final class RecordFields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordFields() {}

    static JsonNode required(JsonNode record, String key) {
        JsonNode n = record.get(key);
        if (n == null || n.isNull()) {
            throw new RecordException("missing required key \"" + key + "\"");
        }
        return n;
    }

    static String requiredString(JsonNode record, String key) {
        JsonNode n = required(record, key);
        if (!n.isTextual()) {
            throw new RecordException("\"" + key + "\" must be a string, got " + describe(n));
        }
        return n.asText();
    }

    /** An optional text field; numbers and booleans are taken as their text (answers are often numbers). */
    static String optionalText(JsonNode record, String key) {
        JsonNode n = record.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new RecordException("\"" + key + "\" must be a string or number, got " + describe(n));
        }
        return n.asText();
    }

    /**
     * The conversation of a {@code messages} record: each message object as given (role, content and any other
     * keys such as {@code tool_calls}, {@code reasoning_content}, {@code name}), and the record's {@code tools}.
     */
    static Conversation conversation(JsonNode record) {
        JsonNode arr = required(record, "messages");
        if (!arr.isArray() || arr.isEmpty()) {
            throw new RecordException("\"messages\" must be a non-empty array, got " + describe(arr));
        }
        List<ChatMessage> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(message(arr.get(i), i));
        }
        JsonNode tools = record.get("tools");
        if (tools == null || tools.isNull()) {
            return new Conversation(out, null);
        }
        if (!tools.isArray()) {
            throw new RecordException("\"tools\" must be an array of tool definitions, got " + describe(tools));
        }
        List<Object> defs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            if (!tools.get(i).isObject()) {
                throw new RecordException("tools[" + i + "] must be an object, got " + describe(tools.get(i)));
            }
            defs.add(JSON.convertValue(tools.get(i), Object.class));
        }
        return new Conversation(out, defs);
    }

    private static ChatMessage message(JsonNode m, int i) {
        String at = "messages[" + i + "]";
        if (!m.isObject()) {
            throw new RecordException(at + " must be an object, got " + describe(m));
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual()) {
            throw new RecordException(
                    at + ".role must be a string, got " + (role == null ? "nothing" : describe(role)));
        }
        JsonNode content = m.get("content");
        if (content == null && !m.has("tool_calls")) {
            throw new RecordException(at + ".content is missing (a string, a list of parts, or null with tool_calls)");
        }
        if (content != null && !content.isTextual() && !content.isNull()) {
            if (!content.isArray()) {
                throw new RecordException(
                        at + ".content must be a string, a list of parts or null, got " + describe(content));
            }
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                if (!part.isObject() || !part.path("type").isTextual()) {
                    throw new RecordException(
                            at + ".content[" + p + "] must be an object with a \"type\", got " + describe(part));
                }
                if (part.get("type").asText().equals("text")
                        && !part.path("text").isTextual()) {
                    throw new RecordException(at + ".content[" + p + "].text must be a string, got "
                            + (part.get("text") == null ? "nothing" : describe(part.get("text"))));
                }
            }
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && !calls.isNull() && !calls.isArray()) {
            throw new RecordException(at + ".tool_calls must be an array, got " + describe(calls));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = JSON.convertValue(m, Map.class);
        return new ChatMessage(fields);
    }

    static int[] intArray(JsonNode record, String key) {
        JsonNode arr = required(record, key);
        if (!arr.isArray()) {
            throw new RecordException("\"" + key + "\" must be an array of integers, got " + describe(arr));
        }
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = arr.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new RecordException(key + "[" + i + "] must be an integer, got " + describe(v));
            }
            out[i] = v.asInt();
        }
        return out;
    }

    static String describe(JsonNode n) {
        String type =
                switch (n.getNodeType()) {
                    case ARRAY -> "an array";
                    case OBJECT -> "an object";
                    case STRING -> "a string";
                    case NUMBER -> "a number";
                    case BOOLEAN -> "a boolean";
                    case NULL -> "null";
                    default -> n.getNodeType().toString().toLowerCase();
                };
        return n.isValueNode() && !n.isNull() ? type + " (" + abbreviate(n.toString()) + ")" : type;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
