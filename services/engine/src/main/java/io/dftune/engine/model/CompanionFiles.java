package io.dftune.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files besides config and weights that make a model directory usable on its own: tokenizer
 * files of every kind transformers saves (fast tokenizer.json, slow-tokenizer vocabularies and
 * merges, SentencePiece and tiktoken models, added and special tokens), chat templates (in
 * tokenizer_config.json, chat_template.jinja or .json, and the additional_chat_templates folder)
 * and generation_config.json. Weights, optimizer state and anything else are not companions.
 */
public final class CompanionFiles {
    private static final Set<String> NAMES = Set.of(
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "added_tokens.json",
            "generation_config.json",
            "chat_template.json",
            "vocab.json",
            "vocab.txt",
            "merges.txt");
    private static final List<String> SUFFIXES = List.of(".jinja", ".model", ".tiktoken");
    private static final String TEMPLATE_FOLDER = "additional_chat_templates";

    private CompanionFiles() {}

    /** The companions in {@code modelDir}, by file name (the template folder as one entry), sorted. */
    public static List<String> in(Path modelDir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                boolean companion = Files.isRegularFile(file)
                        ? NAMES.contains(name) || SUFFIXES.stream().anyMatch(name::endsWith)
                        : Files.isDirectory(file) && name.equals(TEMPLATE_FOLDER);
                if (companion) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /** Copies every companion of {@code source} into {@code target}, replacing files of the same name. */
    public static void copy(Path source, Path target) throws IOException {
        for (String name : in(source)) {
            Path from = source.resolve(name);
            if (Files.isDirectory(from)) {
                copyFolder(from, target.resolve(name));
            } else {
                Files.copy(from, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
