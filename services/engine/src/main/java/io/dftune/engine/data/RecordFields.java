package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/** Typed access to a record's fields, with errors that name the key. */
final class RecordFields {
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

    static List<ChatMessage> messages(JsonNode record) {
        JsonNode arr = required(record, "messages");
        if (!arr.isArray() || arr.isEmpty()) {
            throw new RecordException("\"messages\" must be a non-empty array, got " + describe(arr));
        }
        List<ChatMessage> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode m = arr.get(i);
            if (!m.isObject()) {
                throw new RecordException("messages[" + i + "] must be an object, got " + describe(m));
            }
            out.add(new ChatMessage(string(m, "role", i), string(m, "content", i)));
        }
        return out;
    }

    private static String string(JsonNode message, String key, int index) {
        JsonNode n = message.get(key);
        if (n == null || !n.isTextual()) {
            throw new RecordException("messages[" + index + "]." + key + " must be a string, got "
                    + (n == null ? "nothing" : describe(n)));
        }
        return n.asText();
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
