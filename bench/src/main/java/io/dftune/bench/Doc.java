package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark's result: its markdown section, its rows of the summary table (measured vs
 * target) and raw numbers under {@code data}.
 */
final class Doc {
    private final StringBuilder markdown = new StringBuilder();
    private final ObjectNode result = JsonNodeFactory.instance.objectNode();
    private final ArrayNode rows = result.putArray("rows");
    private final ObjectNode data = result.putObject("data");

    Doc(String title) {
        markdown.append("### ").append(title).append("\n\n");
    }

    Doc line(String format, Object... args) {
        markdown.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    Doc table(List<String> header, List<List<String>> body) {
        markdown.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> markdown.append("---|"));
        markdown.append('\n');
        for (List<String> row : body) {
            markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        markdown.append('\n');
        return this;
    }

    /** A summary row; {@code holds} null when the row has no pass/fail target. */
    Doc summary(String what, String measured, String target, Boolean holds) {
        ObjectNode row = rows.addObject();
        row.put("what", what);
        row.put("measured", measured);
        row.put("target", target);
        if (holds == null) {
            row.putNull("holds");
        } else {
            row.put("holds", holds);
        }
        return this;
    }

    ObjectNode data() {
        return data;
    }

    ObjectNode finish() {
        result.put("markdown", markdown.append('\n').toString());
        return result;
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
