package io.dftune.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokenizer of a Hugging Face model directory: {@code tokenizer.json} through DJL's native
 * tokenizers, plus the special tokens, BOS behaviour and chat template from
 * {@code tokenizer_config.json} (optional) and {@code config.json} (optional, fallback ids).
 *
 * <p>Encoding never adds special tokens and never truncates; callers add BOS/EOS explicitly.
 */
public final class ModelTokenizer implements AutoCloseable {

    private static final Map<String, String> DJL_OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final Path directory;
    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerFiles files;
    private final SpecialToken eos;
    private final Optional<SpecialToken> bos;
    private final Optional<SpecialToken> pad;
    private final Optional<String> unkToken;
    private final boolean addsBos;
    private final ChatTemplate chatTemplate;

    private record SpecialToken(String text, int id) {}

    private ModelTokenizer(Path directory, HuggingFaceTokenizer tokenizer, TokenizerFiles files) {
        this.directory = directory;
        this.tokenizer = tokenizer;
        this.files = files;
        this.eos = special("eos_token", "eos_token_id")
                .orElseThrow(() -> new TokenizerException("no EOS token for " + directory
                        + ": tokenizer_config.json has no eos_token and config.json no eos_token_id"));
        this.bos = special("bos_token", "bos_token_id");
        this.pad = special("pad_token", null);
        this.unkToken = files.tokenSetting("unk_token");
        this.addsBos = bos.isPresent() && decideAddsBos();
        this.chatTemplate = files.chatTemplate
                .map(src -> new ChatTemplate(src, templateTokens()))
                .orElse(null);
    }

    /**
     * Loads the tokenizer of the model in {@code modelDir}.
     *
     * @throws TokenizerException if tokenizer.json is missing or unreadable, a named special token is not in
     *     the vocabulary, or no EOS token can be found
     */
    public static ModelTokenizer load(Path modelDir) {
        TokenizerFiles files = TokenizerFiles.read(modelDir);
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(files.tokenizerJson, DJL_OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("cannot load " + files.tokenizerJson + ": " + e.getMessage(), e);
        }
        try {
            return new ModelTokenizer(modelDir, hf, files);
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    private Optional<SpecialToken> special(String configKey, String modelConfigKey) {
        Optional<String> text = files.tokenSetting(configKey);
        if (text.isPresent()) {
            Integer id = files.tokenIds.get(text.get());
            if (id == null) {
                throw new TokenizerException(directory.resolve("tokenizer_config.json") + ": " + configKey + " \""
                        + text.get() + "\" is not in the vocabulary of " + files.tokenizerJson);
            }
            return Optional.of(new SpecialToken(text.get(), id));
        }
        // An explicit null (Qwen2's bos_token) means the tokenizer has none; only a missing key falls back.
        if (files.hasSetting(configKey) || modelConfigKey == null) {
            return Optional.empty();
        }
        OptionalInt id = files.modelConfigId(modelConfigKey);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String token = files.idTokens.get(id.getAsInt());
        if (token == null) {
            throw new TokenizerException(directory.resolve("config.json") + ": " + modelConfigKey + " " + id.getAsInt()
                    + " is not in the vocabulary of " + files.tokenizerJson);
        }
        return Optional.of(new SpecialToken(token, id.getAsInt()));
    }

    private boolean decideAddsBos() {
        if (files.config.path("add_bos_token").isBoolean()) {
            return files.config.path("add_bos_token").asBoolean();
        }
        // Llama-3 style: no add_bos_token, but tokenizer.json's post-processor prepends BOS, so Hugging Face
        // adds it to plain (non-template) text. We follow that since encode() itself never adds it.
        return files.postProcessorPrefixId.isPresent()
                && files.postProcessorPrefixId.getAsInt() == bos.get().id();
    }

    private Map<String, String> templateTokens() {
        Map<String, String> m = new HashMap<>();
        m.put("eos_token", eos.text());
        bos.ifPresent(t -> m.put("bos_token", t.text()));
        pad.ifPresent(t -> m.put("pad_token", t.text()));
        unkToken.ifPresent(t -> m.put("unk_token", t));
        return m;
    }

    /**
     * Token ids of {@code text}; no special tokens are added, but special-token text inside maps to its id.
     * Safe to call from several threads at once.
     */
    public int[] encode(String text) {
        // The native encoding's ids alone: HuggingFaceTokenizer.encode also copies out its tokens, offsets,
        // masks and word ids, which took two thirds of the time per call.
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        long[] ids;
        try {
            ids = TokenizersLibrary.LIB.getTokenIds(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /**
     * Token ids of {@code text} with each token's span in it, as {@link #encode} encodes it. Spans are UTF-16
     * indexes into {@code text} (Java string positions), end exclusive.
     */
    public TokenSpans encodeWithSpans(String text) {
        long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
        long[] ids;
        CharSpan[] spans;
        try {
            ids = TokenizersLibrary.LIB.getTokenIds(encoding);
            spans = TokenizersLibrary.LIB.getTokenCharSpans(encoding);
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
        int[] out = new int[ids.length];
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
            starts[i] = spans[i] == null ? -1 : spans[i].getStart();
            ends[i] = spans[i] == null ? -1 : spans[i].getEnd();
        }
        return new TokenSpans(out, starts, ends);
    }

    /** Text of {@code ids}, leaving out special tokens. */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    /** Text of {@code ids}, special tokens included (how a rendered example is shown). */
    public String decodeWithSpecialTokens(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, false);
    }

    public int eosId() {
        return eos.id();
    }

    public String eosToken() {
        return eos.text();
    }

    public OptionalInt bosId() {
        return bos.map(t -> OptionalInt.of(t.id())).orElse(OptionalInt.empty());
    }

    public Optional<String> bosToken() {
        return bos.map(SpecialToken::text);
    }

    /** Whether a sequence should start with BOS (add_bos_token, or a post-processor that prepends it). */
    public boolean addsBos() {
        return addsBos;
    }

    /** The pad token's id, else the EOS id (padding is masked out, so reusing EOS is safe). */
    public int padId() {
        return pad.map(SpecialToken::id).orElse(eos.id());
    }

    /** One more than the largest id the tokenizer knows (model vocabulary and added tokens). */
    public int vocabSize() {
        return files.vocabSize;
    }

    /** The id of a vocabulary entry or added token, given its exact token text. */
    public OptionalInt tokenId(String token) {
        Integer id = files.tokenIds.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Texts of the tokens marked special in tokenizer.json's added_tokens. */
    public Set<String> specialTokens() {
        return Set.copyOf(files.specialTokens.keySet());
    }

    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    /**
     * Renders the chat template as Hugging Face's {@code apply_chat_template(..., tokenize=False)} does.
     *
     * @throws IllegalStateException if the model has no chat template
     * @throws ChatTemplateException if the template fails or calls {@code raise_exception}
     */
    public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return applyChatTemplate(Conversation.of(messages), addGenerationPrompt);
    }

    /** {@link #applyChatTemplate(List, boolean)} with the conversation's tools passed as {@code tools}. */
    public String applyChatTemplate(Conversation conversation, boolean addGenerationPrompt) {
        if (chatTemplate == null) {
            throw new IllegalStateException("the tokenizer in " + directory + " has no chat template");
        }
        return chatTemplate.render(conversation, addGenerationPrompt);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
