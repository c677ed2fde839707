package io.dftune.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read into stages of instructions (continuations joined, comments dropped). */
final class Dockerfile {
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    record Instruction(String keyword, String arguments) {}

    record Stage(String name, String from, List<Instruction> instructions) {
        List<String> all(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .map(Instruction::arguments)
                    .toList();
        }

        String last(String keyword) {
            List<String> found = all(keyword);
            if (found.isEmpty()) {
                throw new AssertionError("no " + keyword + " in stage " + name);
            }
            return found.get(found.size() - 1);
        }

        /** Every ENV of the stage as name -> value (quotes removed). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arguments : all("ENV")) {
                Matcher m = ENV_PAIR.matcher(arguments);
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                }
            }
            return env;
        }

        /** An exec-form (JSON array) instruction's words. */
        List<String> execForm(String keyword) {
            try {
                List<String> words = new ArrayList<>();
                JsonNode array = new ObjectMapper().readTree(last(keyword));
                array.forEach(w -> words.add(w.asText()));
                return words;
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not in exec form: " + last(keyword));
            }
        }
    }

    final Path file;
    final List<Stage> stages = new ArrayList<>();

    Dockerfile(Path file) {
        this.file = file;
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    current.append(trimmed);
                    logical.add(current.toString().strip().replaceAll("\\s+", " "));
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : logical) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String arguments = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                String[] from = arguments.split("\\s+");
                String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "stage-" + stages.size();
                stages.add(new Stage(name, from[0], new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
            }
        }
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name + " in " + file));
    }
}
