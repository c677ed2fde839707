package io.dftune.engine.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Per-prompt results as JSON lines: {@code prompt}, {@code answer}, and {@code completions},
 * {@code extracted} (null where nothing was read) and {@code correct} with one entry per sample:
 * the k sampled completions, or the greedy one when the evaluation did not sample. {@code greedy}
 * holds the greedy completion's {@code completion}, {@code extracted} and {@code correct} in every line.
 */
public final class ResultsJsonl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsJsonl() {}

    /** Writes the file whole or not at all (through a temporary file beside it). */
    public static void write(Path file, List<PromptResult> results) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            for (PromptResult r : results) {
                out.write(JSON.writeValueAsString(line(r)));
                out.write('\n');
            }
        }
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static ObjectNode line(PromptResult r) {
        ObjectNode line = JSON.createObjectNode();
        line.put("prompt", r.prompt());
        line.put("answer", r.answer());
        boolean sampled = !r.completions().isEmpty();
        ArrayNode completions = line.putArray("completions");
        ArrayNode extracted = line.putArray("extracted");
        ArrayNode correct = line.putArray("correct");
        if (sampled) {
            r.completions().forEach(completions::add);
            r.extracted().forEach(extracted::add);
            r.correct().forEach(correct::add);
        } else {
            completions.add(r.greedyCompletion());
            extracted.add(r.greedyExtracted());
            correct.add(r.greedyCorrect());
        }
        ObjectNode greedy = line.putObject("greedy");
        greedy.put("completion", r.greedyCompletion());
        greedy.put("extracted", r.greedyExtracted());
        greedy.put("correct", r.greedyCorrect());
        return line;
    }
}
