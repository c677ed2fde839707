package io.dftune.trainer.example;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Generated problems as prompt/response JSONL, the data format the trainer reads. */
final class ProblemFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemFiles() {}

    static List<Problem> generate(Supplier<Problem> source, int count) {
        List<Problem> problems = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            problems.add(source.get());
        }
        return problems;
    }

    /** Writes one line per problem; {@code withAnswer} adds the {@code answer} field exact match is scored on. */
    static void write(Path file, List<Problem> problems, boolean withAnswer) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Problem p : problems) {
                ObjectNode line = JSON.createObjectNode();
                line.put("prompt", p.prompt());
                line.put("response", p.response());
                if (withAnswer) {
                    line.put("answer", p.answer());
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
    }
}
