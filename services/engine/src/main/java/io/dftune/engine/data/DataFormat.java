package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The JSONL record shapes a dataset file can use; one per file, fixed by its first record. */
public enum DataFormat {
    /** {@code {"prompt": "...", "response": "...", "answer": optional}}. */
    PROMPT_RESPONSE("prompt", "response"),
    /** {@code {"messages": [{"role": "...", "content": "..."}, ...]}}; loss on assistant turns. */
    MESSAGES("messages"),
    /** {@code {"input_ids": [...], "completion_mask": [...]}}. */
    PRETOKENIZED("input_ids", "completion_mask");

    private final List<String> keys;

    DataFormat(String... keys) {
        this.keys = List.of(keys);
    }

    /** The keys that identify (and are required by) this format. */
    public List<String> keys() {
        return keys;
    }

    /** The format a record's keys indicate; a record with keys of several formats or of none is rejected. */
    static DataFormat detect(JsonNode record) {
        List<DataFormat> matches = new ArrayList<>();
        for (DataFormat f : values()) {
            if (f.keys.stream().anyMatch(record::has)) {
                matches.add(f);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> found = new ArrayList<>();
        record.fieldNames().forEachRemaining(found::add);
        if (matches.isEmpty()) {
            throw new RecordException("record has none of the keys prompt/response, messages or "
                    + "input_ids/completion_mask (keys found: " + found + ")");
        }
        throw new RecordException("record mixes keys of the formats " + matches + " (keys found: " + found + ")");
    }
}
