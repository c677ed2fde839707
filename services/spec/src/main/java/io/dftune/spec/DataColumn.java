package io.dftune.spec;

import java.util.Arrays;
import java.util.Optional;

/**
 * dftune's names for the fields of a dataset record, the keys of {@code data.columns} (as in
 * LLaMA-Factory's dataset_info). Each belongs to one record layout, or to all of them.
 */
public enum DataColumn {
    PROMPT("prompt", Layout.PROMPT_RESPONSE),
    /** Appended to the prompt on a new line (Alpaca's {@code input}). */
    QUERY("query", Layout.PROMPT_RESPONSE),
    RESPONSE("response", Layout.PROMPT_RESPONSE),
    /** A list of {@code {role, content}} messages, or ShareGPT {@code {from, value}} turns. */
    MESSAGES("messages", Layout.MESSAGES),
    TOOLS("tools", Layout.MESSAGES),
    INPUT_IDS("input_ids", Layout.PRETOKENIZED),
    COMPLETION_MASK("completion_mask", Layout.PRETOKENIZED),
    /** A system prompt placed before the conversation (prompt/response and messages records). */
    SYSTEM("system", null),
    /** The reference answer for evaluation (every layout). */
    ANSWER("answer", null);

    /** The record layouts; a record, and so a column map, uses one. */
    public enum Layout {
        PROMPT_RESPONSE("prompt/response"),
        MESSAGES("messages"),
        PRETOKENIZED("input_ids/completion_mask");

        private final String label;

        Layout(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String key;
    private final Layout layout;

    DataColumn(String key, Layout layout) {
        this.key = key;
        this.layout = layout;
    }

    /** The name as written in {@code data.columns} and as the default column name. */
    public String key() {
        return key;
    }

    /** The layout the column belongs to; empty for columns every layout may have. */
    public Optional<Layout> layout() {
        return Optional.ofNullable(layout);
    }

    public static Optional<DataColumn> byKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }

    /** The names, comma-separated, for messages. */
    public static String keys() {
        return String.join(", ", Arrays.stream(values()).map(DataColumn::key).toList());
    }
}
