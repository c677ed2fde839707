package io.dftune.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a Hugging Face {@code tokenizer.json} and {@code tokenizer_config.json} for a GPT-2/Qwen2 style
 * byte-level BPE tokenizer: ids 0..255 are the byte symbols (id = byte value), then one id per learned
 * merge, then the special tokens in the order given. Used to give the project's own small models a
 * tokenizer without downloading one.
 *
 * <pre>{@code
 * ByteLevelTokenizerFiles.builder()
 *     .specialTokens("<|endoftext|>", "<|im_start|>", "<|im_end|>")
 *     .eosToken("<|im_end|>").padToken("<|endoftext|>")
 *     .chatTemplate(ByteLevelTokenizerFiles.CHATML_TEMPLATE)
 *     .trainMerges(corpus, 500)
 *     .write(modelDir);
 * }</pre>
 */
public final class ByteLevelTokenizerFiles {

    /** A ChatML template (the format Qwen2 instruct models use). */
    public static final String CHATML_TEMPLATE =
            "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content']"
                    + " + '<|im_end|>' + '\\n' }}{% endfor %}"
                    + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written. {@code vocabSize} counts the byte symbols, merges and special tokens. */
    public record Written(
            Path tokenizerJson, Path tokenizerConfigJson, int vocabSize, Map<String, Integer> specialTokenIds) {}

    private final List<String> specialTokens = new ArrayList<>();
    private final List<BpeTrainer.Merge> merges = new ArrayList<>();
    private String bosToken;
    private String eosToken;
    private String padToken;
    private String chatTemplate;
    private boolean addBosToken;

    private ByteLevelTokenizerFiles() {}

    public static ByteLevelTokenizerFiles builder() {
        return new ByteLevelTokenizerFiles();
    }

    /** Special tokens, added after the BPE vocabulary in this order; each encodes to one id. */
    public ByteLevelTokenizerFiles specialTokens(String... tokens) {
        for (String t : tokens) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("special token must be non-empty");
            }
            if (!specialTokens.contains(t)) {
                specialTokens.add(t);
            }
        }
        return this;
    }

    /** Beginning-of-sequence token (added to the special tokens if missing). Absent by default, as in Qwen2. */
    public ByteLevelTokenizerFiles bosToken(String token) {
        this.bosToken = token;
        return token == null ? this : specialTokens(token);
    }

    /** End-of-sequence token (required; added to the special tokens if missing). */
    public ByteLevelTokenizerFiles eosToken(String token) {
        this.eosToken = Objects.requireNonNull(token, "eosToken");
        return specialTokens(token);
    }

    /** Padding token (added to the special tokens if missing). Absent by default (padding then uses EOS). */
    public ByteLevelTokenizerFiles padToken(String token) {
        this.padToken = token;
        return token == null ? this : specialTokens(token);
    }

    /** Whether tokenizer_config.json says {@code add_bos_token: true} (Llama style). Needs a BOS token. */
    public ByteLevelTokenizerFiles addBosToken(boolean add) {
        this.addBosToken = add;
        return this;
    }

    public ByteLevelTokenizerFiles chatTemplate(String template) {
        this.chatTemplate = template;
        return this;
    }

    /** Adds given merges (applied in this order; both parts must be byte symbols or earlier merges). */
    public ByteLevelTokenizerFiles merges(List<BpeTrainer.Merge> newMerges) {
        merges.addAll(newMerges);
        return this;
    }

    /**
     * Learns up to {@code maxMerges} merges from {@code trainingText} (see {@link BpeTrainer}). Call after
     * the special tokens are set so their text is kept out of the merges.
     */
    public ByteLevelTokenizerFiles trainMerges(String trainingText, int maxMerges) {
        return merges(BpeTrainer.learnMerges(trainingText, maxMerges, specialTokens));
    }

    /** Writes both files into {@code dir} (created if needed), replacing existing ones. */
    public Written write(Path dir) {
        if (eosToken == null) {
            throw new IllegalStateException("an eos token is required");
        }
        if (addBosToken && bosToken == null) {
            throw new IllegalStateException("addBosToken(true) needs a bos token");
        }
        Map<String, Integer> vocab = buildVocab();
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        int nextId = vocab.size();
        for (String t : specialTokens) {
            specialIds.put(t, nextId++);
        }
        try {
            Files.createDirectories(dir);
            Path tokenizerJson = dir.resolve("tokenizer.json");
            Path configJson = dir.resolve("tokenizer_config.json");
            JSON.writeValue(tokenizerJson.toFile(), tokenizerJson(vocab, specialIds));
            JSON.writeValue(configJson.toFile(), tokenizerConfig(specialIds));
            return new Written(tokenizerJson, configJson, nextId, Map.copyOf(specialIds));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer files to " + dir + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> buildVocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(ByteLevelAlphabet.symbol(b), b);
        }
        for (BpeTrainer.Merge m : merges) {
            if (!vocab.containsKey(m.left()) || !vocab.containsKey(m.right())) {
                throw new IllegalArgumentException("merge " + m + " uses a symbol that no earlier entry defines");
            }
            // Two merge paths can spell the same token ("ab"+"c", "a"+"bc"): one vocabulary entry serves both.
            vocab.putIfAbsent(m.merged(), vocab.size());
        }
        return vocab;
    }

    private ObjectNode tokenizerJson(Map<String, Integer> vocab, Map<String, Integer> specialIds) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        specialIds.forEach((content, id) -> {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", content);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        });
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocabNode = model.putObject("vocab");
        vocab.forEach(vocabNode::put);
        ArrayNode mergesNode = model.putArray("merges");
        // Byte-level symbols never contain a plain space, so the "left right" string form is unambiguous.
        merges.forEach(m -> mergesNode.add(m.left() + " " + m.right()));
        return root;
    }

    private static ObjectNode byteLevel(boolean decoder) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", decoder);
        n.put("trim_offsets", true);
        n.put("use_regex", true);
        return n;
    }

    private ObjectNode tokenizerConfig(Map<String, Integer> specialIds) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("add_bos_token", addBosToken);
        root.put("add_eos_token", false);
        putToken(root, "bos_token", bosToken);
        putToken(root, "eos_token", eosToken);
        putToken(root, "pad_token", padToken);
        root.putNull("unk_token");
        ArrayNode extra = root.putArray("additional_special_tokens");
        specialIds.keySet().stream()
                .filter(t -> !t.equals(bosToken) && !t.equals(eosToken) && !t.equals(padToken))
                .forEach(extra::add);
        root.put("model_max_length", 1_000_000);
        root.put("clean_up_tokenization_spaces", false);
        if (chatTemplate != null) {
            root.put("chat_template", chatTemplate);
        }
        return root;
    }

    private static void putToken(ObjectNode root, String key, String token) {
        if (token == null) {
            root.putNull(key);
        } else {
            root.put(key, token);
        }
    }
}
