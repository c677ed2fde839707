package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.spec.DataColumn;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which column of a dataset holds each of dftune's record fields ({@code data.columns}); unmapped fields use
 * dftune's names. Mapping a field of one record layout fixes every record to that layout. A messages record
 * without a mapped column uses {@code messages}, or ShareGPT's {@code conversations} when only that is present.
 */
final class ColumnMap {
    static final String SHAREGPT_CONVERSATIONS = "conversations";

    private final Map<DataColumn, String> mapped = new EnumMap<>(DataColumn.class);
    private final DataColumn.Layout layout;

    ColumnMap(Map<String, String> columns) {
        DataColumn.Layout fixed = null;
        for (Map.Entry<String, String> e : columns.entrySet()) {
            DataColumn c = DataColumn.byKey(e.getKey())
                    .orElseThrow(() -> new DatasetException("spec.data.columns." + e.getKey()
                            + ": unknown name; dftune's names are " + DataColumn.keys()));
            mapped.put(c, e.getValue());
            fixed = c.layout().orElse(fixed);
        }
        this.layout = fixed;
    }

    /** The column that holds {@code c}. */
    String name(DataColumn c) {
        return mapped.getOrDefault(c, c.key());
    }

    /** The layout the mapped columns fix, if they fix one. */
    Optional<DataColumn.Layout> layout() {
        return Optional.ofNullable(layout);
    }

    /** The column of a messages record's conversation. */
    String messages(JsonNode record) {
        if (mapped.containsKey(DataColumn.MESSAGES) || record.has(DataColumn.MESSAGES.key())) {
            return name(DataColumn.MESSAGES);
        }
        return record.has(SHAREGPT_CONVERSATIONS) ? SHAREGPT_CONVERSATIONS : DataColumn.MESSAGES.key();
    }

    /** Every column a record may be read from: what a columnar file needs to decode. */
    Set<String> wanted() {
        Set<String> out = new HashSet<>();
        for (DataColumn c : DataColumn.values()) {
            if (layout == null || c.layout().isEmpty() || c.layout().get() == layout) {
                out.add(name(c));
            }
        }
        if ((layout == null || layout == DataColumn.Layout.MESSAGES) && !mapped.containsKey(DataColumn.MESSAGES)) {
            out.add(SHAREGPT_CONVERSATIONS);
        }
        return out;
    }
}
