package io.dftune.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.Conversation;
import io.dftune.spec.DataColumn;
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
     * keys such as {@code tool_calls}, {@code reasoning_content}, {@code name}) or converted from ShareGPT turns,
     * after the record's system prompt when it has one and the conversation does not start with a system message,
     * and the record's {@code tools} (an array of definitions, or a string holding its JSON).
     */
    static Conversation conversation(JsonNode record, ColumnMap columns) {
        String key = columns.messages(record);
        JsonNode arr = required(record, key);
        if (!arr.isArray() || arr.isEmpty()) {
            throw new RecordException("\"" + key + "\" must be a non-empty array, got " + describe(arr));
        }
        List<ChatMessage> out = new ArrayList<>(arr.size() + 1);
        if (ShareGpt.isShareGpt(arr)) {
            out.addAll(ShareGpt.messages(arr, key));
        } else {
            for (int i = 0; i < arr.size(); i++) {
                out.add(message(arr.get(i), key + "[" + i + "]"));
            }
        }
        String system = optionalText(record, columns.name(DataColumn.SYSTEM));
        if (system != null && !system.isEmpty() && !out.get(0).role().equals("system")) {
            out.add(0, ChatMessage.system(system));
        }
        return new Conversation(out, tools(record, columns.name(DataColumn.TOOLS)));
    }

    private static List<Object> tools(JsonNode record, String key) {
        JsonNode tools = record.get(key);
        if (tools == null
                || tools.isNull()
                || (tools.isTextual() && tools.asText().isBlank())) {
            return null;
        }
        if (tools.isTextual()) {
            try {
                tools = JSON.readTree(tools.asText());
            } catch (JsonProcessingException e) {
                throw new RecordException("\"" + key + "\" is a string but not JSON: " + e.getOriginalMessage(), e);
            }
        }
        if (!tools.isArray()) {
            throw new RecordException("\"" + key + "\" must be an array of tool definitions, got " + describe(tools));
        }
        List<Object> defs = new ArrayList<>(tools.size());
        for (int i = 0; i < tools.size(); i++) {
            if (!tools.get(i).isObject()) {
                throw new RecordException(key + "[" + i + "] must be an object, got " + describe(tools.get(i)));
            }
            defs.add(JSON.convertValue(tools.get(i), Object.class));
        }
        return defs;
    }

    private static ChatMessage message(JsonNode m, String at) {
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
