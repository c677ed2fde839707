package io.dftune.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.RecordPreview;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.util.Arrays;

/** How {@code dftune data preview} shows a record: the text with trained tokens marked, or one JSON object. */
final class PreviewPrinter {
    static final String OPEN = "⟦";
    static final String CLOSE = "⟧";
    private static final String GREEN = "\u001b[1;32m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelTokenizer tokenizer;
    private final int maxLength;
    private final boolean ansi;

    PreviewPrinter(ModelTokenizer tokenizer, int maxLength, boolean ansi) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.ansi = ansi;
    }

    /** A header line, then the kept text with each run of trained tokens marked, then what was cut off. */
    String text(RecordPreview p) {
        TrainingExample ex = p.example();
        StringBuilder out = new StringBuilder();
        out.append("── ")
                .append(p.position())
                .append(" (")
                .append(p.format().name().toLowerCase())
                .append("): ")
                .append(ex.length())
                .append(" tokens, ")
                .append(ex.responseTokenCount())
                .append(" trained");
        if (p.truncated()) {
            out.append(", truncated at --max-length ")
                    .append(maxLength)
                    .append(" (")
                    .append(p.allIds().length - ex.length())
                    .append(" of ")
                    .append(p.allIds().length)
                    .append(" tokens dropped)");
        }
        if (p.skipped()) {
            out.append(", SKIPPED by training: no trained token within the max length");
        }
        out.append('\n');
        appendRuns(out, ex.inputIds(), ex.completionMask());
        if (p.truncated()) {
            int[] dropped = Arrays.copyOfRange(p.allIds(), ex.length(), p.allIds().length);
            out.append('\n')
                    .append(ansi ? DIM : "")
                    .append("[dropped:] ")
                    .append(tokenizer.decodeWithSpecialTokens(dropped))
                    .append(ansi ? RESET : "");
        }
        return out.toString();
    }

    /** Consecutive tokens with the same mask are decoded together, so characters split across tokens stay whole. */
    private void appendRuns(StringBuilder out, int[] ids, int[] mask) {
        int start = 0;
        while (start < ids.length) {
            int end = start;
            while (end < ids.length && mask[end] == mask[start]) {
                end++;
            }
            String piece = tokenizer.decodeWithSpecialTokens(Arrays.copyOfRange(ids, start, end));
            if (mask[start] == 1) {
                out.append(ansi ? GREEN : OPEN).append(piece).append(ansi ? RESET : CLOSE);
            } else {
                out.append(piece);
            }
            start = end;
        }
    }

    String json(RecordPreview p) {
        TrainingExample ex = p.example();
        ObjectNode o = JSON.createObjectNode();
        o.put("position", p.position());
        o.put("text", tokenizer.decodeWithSpecialTokens(ex.inputIds()));
        o.set("input_ids", JSON.valueToTree(ex.inputIds()));
        o.set("completion_mask", JSON.valueToTree(ex.completionMask()));
        o.put("tokens", ex.length());
        o.put("trained_tokens", ex.responseTokenCount());
        o.put("truncated_tokens", p.allIds().length - ex.length());
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
