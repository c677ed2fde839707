package io.dftune.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ShareGPT turns ({@code {"from": ..., "value": ...}}) as chat messages, with LLaMA-Factory's sharegpt roles:
 * {@code human}/{@code user} a user turn, {@code gpt}/{@code assistant} an assistant turn, {@code system},
 * {@code function_call} an assistant turn calling tools (its value the JSON of one call
 * {@code {"name", "arguments"}} or a list of them), {@code observation}/{@code tool} a tool result.
 */
final class ShareGpt {
    private ShareGpt() {}

    /** Whether a conversation's first turn uses ShareGPT's keys rather than role/content. */
    static boolean isShareGpt(JsonNode turns) {
        JsonNode first = turns.get(0);
        return first != null && first.isObject() && first.has("from") && !first.has("role");
    }

    static List<ChatMessage> messages(JsonNode turns, String column) {
        List<ChatMessage> out = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            String at = column + "[" + i + "]";
            JsonNode turn = turns.get(i);
            if (!turn.isObject()) {
                throw new RecordException(at + " must be an object, got " + RecordFields.describe(turn));
            }
            JsonNode from = turn.get("from");
            if (from == null || !from.isTextual()) {
                throw new RecordException(
                        at + ".from must be a string, got " + (from == null ? "nothing" : RecordFields.describe(from)));
            }
            JsonNode value = turn.get("value");
            if (value == null || !value.isTextual()) {
                throw new RecordException(at + ".value must be a string, got "
                        + (value == null ? "nothing" : RecordFields.describe(value)));
            }
            out.add(
                    switch (from.asText()) {
                        case "human", "user" -> ChatMessage.user(value.asText());
                        case "gpt", "assistant" -> ChatMessage.assistant(value.asText());
                        case "system" -> ChatMessage.system(value.asText());
                        case "observation", "tool" -> ChatMessage.of("tool", value.asText());
                        case "function_call" -> toolCalls(value.asText(), at);
                        default ->
                            throw new RecordException(at + ".from is \"" + from.asText() + "\"; ShareGPT roles are "
                                    + "human, gpt, system, function_call, observation (or user, assistant, tool)");
                    });
        }
        return out;
    }

    private static ChatMessage toolCalls(String json, String at) {
        JsonNode parsed;
        try {
            parsed = JsonRecords.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new RecordException(at + ".value of a function_call must be JSON, " + e.getOriginalMessage(), e);
        }
        List<JsonNode> calls = new ArrayList<>();
        if (parsed != null && parsed.isArray()) {
            parsed.forEach(calls::add);
        } else {
            calls.add(parsed);
        }
        List<Object> toolCalls = new ArrayList<>();
        for (JsonNode call : calls) {
            if (call == null || !call.isObject() || !call.path("name").isTextual()) {
                throw new RecordException(at + ".value of a function_call must be {\"name\": ..., \"arguments\": ...} "
                        + "or a list of them");
            }
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", call.get("name").asText());
            function.put("arguments", JsonRecords.JSON.convertValue(call.path("arguments"), Object.class));
            Map<String, Object> toolCall = new LinkedHashMap<>();
            toolCall.put("type", "function");
            toolCall.put("function", function);
            toolCalls.add(toolCall);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("role", "assistant");
        fields.put("content", "");
        fields.put("tool_calls", toolCalls);
        return new ChatMessage(fields);
    }
}
