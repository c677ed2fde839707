package io.dftune.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link ModelTokenizer} needs from a model directory's JSON files, read without the native
 * tokenizer: the token/id table, special tokens, BOS behaviour and the chat template.
 */
final class TokenizerFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path tokenizerJson;
    final Map<String, Integer> tokenIds = new HashMap<>();
    final Map<Integer, String> idTokens = new HashMap<>();
    final Map<String, Integer> specialTokens = new HashMap<>();
    int vocabSize;
    /** The tokenizer.json post-processor puts this id first in every encoding (Llama's TemplateProcessing). */
    OptionalInt postProcessorPrefixId = OptionalInt.empty();

    /** tokenizer_config.json, or an empty object when the file is absent. */
    final JsonNode config;
    /** config.json, or an empty object when the file is absent. */
    final JsonNode modelConfig;

    final Optional<String> chatTemplate;

    private TokenizerFiles(Path dir) {
        tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new TokenizerException("no tokenizer.json at " + tokenizerJson
                    + " (a Hugging Face model directory must contain tokenizer.json)");
        }
        readVocabulary(readJson(tokenizerJson));
        config = readOptionalJson(dir.resolve("tokenizer_config.json"));
        modelConfig = readOptionalJson(dir.resolve("config.json"));
        chatTemplate = readChatTemplate(dir);
    }

    static TokenizerFiles read(Path dir) {
        return new TokenizerFiles(dir);
    }

    private void readVocabulary(JsonNode root) {
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                put(e.getKey(), e.getValue().asInt());
            }
        } else if (vocab.isArray()) {
            // Unigram models list [piece, score] pairs; the position is the id.
            for (int i = 0; i < vocab.size(); i++) {
                put(vocab.get(i).path(0).asText(), i);
            }
        }
        for (JsonNode t : root.path("added_tokens")) {
            int id = t.path("id").asInt();
            String content = t.path("content").asText();
            put(content, id);
            if (t.path("special").asBoolean(false)) {
                specialTokens.put(content, id);
            }
        }
        if (tokenIds.isEmpty()) {
            throw new TokenizerException(
                    tokenizerJson + " defines no vocabulary (model.vocab and added_tokens are empty)");
        }
        readPostProcessor(root.path("post_processor"));
    }

    private void put(String token, int id) {
        tokenIds.put(token, id);
        idTokens.putIfAbsent(id, token);
        vocabSize = Math.max(vocabSize, id + 1);
    }

    private void readPostProcessor(JsonNode pp) {
        if ("Sequence".equals(pp.path("type").asText())) {
            for (JsonNode p : pp.path("processors")) {
                readPostProcessor(p);
            }
        } else if ("TemplateProcessing".equals(pp.path("type").asText())) {
            JsonNode first = pp.path("single").path(0).path("SpecialToken");
            if (first.isObject()) {
                JsonNode ids = pp.path("special_tokens")
                        .path(first.path("id").asText())
                        .path("ids");
                if (ids.size() == 1) {
                    postProcessorPrefixId = OptionalInt.of(ids.get(0).asInt());
                }
            }
        }
    }

    /** A special-token setting ({@code "<s>"} or {@code {"content": "<s>", ...}}); empty if absent or null. */
    Optional<String> tokenSetting(String key) {
        JsonNode n = config.path(key);
        if (n.isTextual()) {
            return Optional.of(n.asText());
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return Optional.of(n.path("content").asText());
        }
        return Optional.empty();
    }

    /** Whether tokenizer_config.json names the key at all (an explicit null means "no such token"). */
    boolean hasSetting(String key) {
        return config.has(key);
    }

    /** An id from config.json ({@code bos_token_id}/{@code eos_token_id}); the first one when it is a list. */
    OptionalInt modelConfigId(String key) {
        JsonNode n = modelConfig.path(key);
        if (n.isArray() && n.size() > 0) {
            n = n.get(0);
        }
        return n.canConvertToInt() && n.isIntegralNumber() ? OptionalInt.of(n.asInt()) : OptionalInt.empty();
    }

    /**
     * The template transformers uses: {@code chat_template.jinja} when the directory has one (since
     * transformers 4.47 that file replaces tokenizer_config.json's value on load), else
     * tokenizer_config.json's {@code chat_template} (a string, or a list with one named "default").
     */
    private Optional<String> readChatTemplate(Path dir) {
        Path file = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        JsonNode t = config.path("chat_template");
        if (t.isTextual()) {
            return Optional.of(t.asText());
        }
        if (t.isArray()) {
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText())) {
                    return Optional.of(named.path("template").asText());
                }
            }
            throw new TokenizerException(dir.resolve("tokenizer_config.json")
                    + ": chat_template is a list of named templates without one named \"default\"");
        }
        return Optional.empty();
    }

    private static JsonNode readOptionalJson(Path file) {
        return Files.exists(file) ? readJson(file) : JSON.createObjectNode();
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new TokenizerException(file + " does not contain a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
