package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.spec.DataColumn;
import java.util.ArrayList;
import java.util.List;

/** The record layouts a dataset can use; one per dataset, fixed by the column map or by its first record. */
public enum DataFormat {
    /** {@code {"prompt": "...", "response": "...", "answer": optional}}. */
    PROMPT_RESPONSE(DataColumn.Layout.PROMPT_RESPONSE),
    /** {@code {"messages": [{"role": "...", "content": "..."}, ...]}} or ShareGPT; loss on assistant turns. */
    MESSAGES(DataColumn.Layout.MESSAGES),
    /** {@code {"input_ids": [...], "completion_mask": [...]}}. */
    PRETOKENIZED(DataColumn.Layout.PRETOKENIZED);

    private final DataColumn.Layout layout;

    DataFormat(DataColumn.Layout layout) {
        this.layout = layout;
    }

    static DataFormat of(DataColumn.Layout layout) {
        for (DataFormat f : values()) {
            if (f.layout == layout) {
                return f;
            }
        }
        throw new IllegalArgumentException("no format for " + layout);
    }

    /**
     * The format the column map fixes, else the one a record's columns indicate; a record with columns of several
     * formats or of none is rejected.
     */
    static DataFormat detect(JsonNode record, ColumnMap columns) {
        if (columns.layout().isPresent()) {
            return of(columns.layout().get());
        }
        List<DataFormat> matches = new ArrayList<>();
        if (record.has(columns.name(DataColumn.PROMPT)) || record.has(columns.name(DataColumn.RESPONSE))) {
            matches.add(PROMPT_RESPONSE);
        }
        if (record.has(columns.messages(record))) {
            matches.add(MESSAGES);
        }
        if (record.has(columns.name(DataColumn.INPUT_IDS)) || record.has(columns.name(DataColumn.COMPLETION_MASK))) {
            matches.add(PRETOKENIZED);
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> found = new ArrayList<>();
        record.fieldNames().forEachRemaining(found::add);
        if (matches.isEmpty()) {
            throw new RecordException("record has none of the keys prompt/response, messages (or ShareGPT's "
                    + "conversations) or input_ids/completion_mask (keys found: " + found + "); name yours with "
                    + "spec.data.columns");
        }
        throw new RecordException("record mixes keys of the formats " + matches + " (keys found: " + found
                + "); choose one with spec.data.columns");
    }
}
