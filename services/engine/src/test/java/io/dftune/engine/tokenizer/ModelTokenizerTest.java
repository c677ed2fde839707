package io.dftune.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTokenizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ObjectNode readJson(String name) throws Exception {
        return (ObjectNode) JSON.readTree(dir.resolve(name).toFile());
    }

    private void writeJson(String name, ObjectNode node) throws Exception {
        JSON.writeValue(dir.resolve(name).toFile(), node);
    }

    @Test
    void readsQwenStyleSpecialTokensAndTemplate() {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.chatml(dir);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.eosId()).isEqualTo(w.specialTokenIds().get("<|im_end|>"));
            assertThat(tok.eosToken()).isEqualTo("<|im_end|>");
            assertThat(tok.padId()).isEqualTo(w.specialTokenIds().get("<|endoftext|>"));
            assertThat(tok.bosId()).isEmpty();
            assertThat(tok.addsBos()).isFalse();
            assertThat(tok.vocabSize()).isEqualTo(w.vocabSize());
            assertThat(tok.hasChatTemplate()).isTrue();
            assertThat(tok.tokenId("<|im_start|>")).hasValue(w.specialTokenIds().get("<|im_start|>"));
            assertThat(tok.tokenId("no such token")).isEmpty();
            assertThat(tok.specialTokens()).containsExactlyInAnyOrder("<|endoftext|>", "<|im_start|>", "<|im_end|>");
            assertThat(tok.applyChatTemplate(List.of(ChatMessage.user("hi")), true))
                    .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        }
    }

    @Test
    void readsLlamaStyleBos() {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.llama(dir, true);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.bosId()).hasValue(w.specialTokenIds().get("<s>"));
            assertThat(tok.bosToken()).contains("<s>");
            assertThat(tok.addsBos()).isTrue();
            assertThat(tok.eosId()).isEqualTo(w.specialTokenIds().get("</s>"));
            assertThat(tok.padId()).as("no pad token: falls back to EOS").isEqualTo(tok.eosId());
        }
    }

    @Test
    void encodeAddsNoSpecialTokensAndDoesNotTruncateAt512() throws Exception {
        TokenizerFixtures.llama(dir, false);
        // A Llama-style post-processor that would prepend <s> if DJL were allowed to add special tokens.
        ObjectNode tj = readJson("tokenizer.json");
        int bos = tj.get("added_tokens").get(0).get("id").asInt();
        ObjectNode pp = tj.putObject("post_processor");
        pp.put("type", "TemplateProcessing");
        ArrayNode single = pp.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = pp.putArray("pair");
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = pp.putObject("special_tokens").putObject("<s>");
        st.put("id", "<s>");
        st.putArray("ids").add(bos);
        st.putArray("tokens").add("<s>");
        writeJson("tokenizer.json", tj);

        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            int[] ids = tok.encode("hello");
            assertThat(ids).doesNotContain(bos);
            assertThat(tok.decode(ids)).isEqualTo("hello");
            String longText = "word ".repeat(700);
            int[] longIds = tok.encode(longText);
            assertThat(longIds.length).isGreaterThan(700);
            assertThat(tok.decode(longIds)).isEqualTo(longText);
        }
    }

    @Test
    void bosFromPostProcessorCountsWhenAddBosTokenIsAbsent() throws Exception {
        TokenizerFixtures.llama(dir, false);
        ObjectNode tj = readJson("tokenizer.json");
        int bos = tj.get("added_tokens").get(0).get("id").asInt();
        ObjectNode seq = tj.putObject("post_processor");
        seq.put("type", "Sequence");
        ObjectNode tp = seq.putArray("processors").addObject();
        tp.put("type", "TemplateProcessing");
        tp.putArray("single")
                .addObject()
                .putObject("SpecialToken")
                .put("id", "<s>")
                .put("type_id", 0);
        tp.withArray("single").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        tp.putArray("pair");
        tp.putObject("special_tokens")
                .putObject("<s>")
                .put("id", "<s>")
                .putArray("ids")
                .add(bos);
        ((ObjectNode) tp.get("special_tokens").get("<s>")).putArray("tokens").add("<s>");
        writeJson("tokenizer.json", tj);
        ObjectNode cfg = readJson("tokenizer_config.json");
        cfg.remove("add_bos_token");
        writeJson("tokenizer_config.json", cfg);

        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.addsBos()).isTrue();
        }
        cfg.put("add_bos_token", false);
        writeJson("tokenizer_config.json", cfg);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.addsBos()).as("explicit add_bos_token wins").isFalse();
        }
    }

    @Test
    void decodeSkipsSpecialTokens() {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.chatml(dir);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            int[] ids = tok.encode("<|im_start|>assistant\nSure, 2+2=4 ✓<|im_end|>");
            assertThat(ids[0]).isEqualTo(w.specialTokenIds().get("<|im_start|>"));
            assertThat(tok.decode(ids)).isEqualTo("assistant\nSure, 2+2=4 ✓");
        }
    }

    @Test
    void acceptsTokenObjectsAndNamedTemplateLists() throws Exception {
        TokenizerFixtures.chatml(dir);
        ObjectNode cfg = readJson("tokenizer_config.json");
        cfg.putObject("eos_token").put("content", "<|endoftext|>").put("special", true);
        cfg.remove("pad_token");
        ArrayNode templates = cfg.putArray("chat_template");
        templates.addObject().put("name", "tool_use").put("template", "TOOLS");
        templates.addObject().put("name", "default").put("template", "{{ messages[0]['content'] }}!");
        writeJson("tokenizer_config.json", cfg);
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.eosToken()).isEqualTo("<|endoftext|>");
            assertThat(tok.padId()).isEqualTo(tok.eosId());
            assertThat(tok.applyChatTemplate(List.of(ChatMessage.user("x")), false))
                    .isEqualTo("x!");
        }
    }

    @Test
    void readsChatTemplateJinjaFileWhenConfigHasNone() throws Exception {
        TokenizerFixtures.plain(dir);
        Files.writeString(dir.resolve("chat_template.jinja"), "[{{ messages|length }}]");
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.applyChatTemplate(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), false))
                    .isEqualTo("[2]");
        }
    }

    @Test
    void chatTemplateJinjaWinsOverTheConfigsTemplateAsInTransformers() throws Exception {
        TokenizerFixtures.chatml(dir);
        Files.writeString(dir.resolve("chat_template.jinja"), "<{{ messages|length }}>");
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.applyChatTemplate(List.of(ChatMessage.user("a")), false))
                    .isEqualTo("<1>");
        }
    }

    @Test
    void fallsBackToConfigJsonIdsWithoutTokenizerConfig() throws Exception {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.llama(dir, false);
        Files.delete(dir.resolve("tokenizer_config.json"));
        int bos = w.specialTokenIds().get("<s>");
        int eos = w.specialTokenIds().get("</s>");
        Files.writeString(
                dir.resolve("config.json"),
                "{\"bos_token_id\": " + bos + ", \"eos_token_id\": [" + eos + ", " + bos + "]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.bosId()).isEqualTo(OptionalInt.of(bos));
            assertThat(tok.eosId()).isEqualTo(eos);
            assertThat(tok.eosToken()).isEqualTo("</s>");
            assertThat(tok.addsBos()).as("add_bos_token defaults to false").isFalse();
            assertThat(tok.hasChatTemplate()).isFalse();
            assertThatThrownBy(() -> tok.applyChatTemplate(List.of(ChatMessage.user("x")), true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no chat template");
        }
    }

    @Test
    void explicitNullBosDoesNotFallBackToConfigJson() throws Exception {
        TokenizerFixtures.chatml(dir);
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 3, \"eos_token_id\": 3}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir)) {
            assertThat(tok.bosId()).isEmpty();
        }
    }

    @Test
    void missingTokenizerJsonNamesThePath() {
        assertThatThrownBy(() -> ModelTokenizer.load(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void corruptTokenizerJsonNamesThePath() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{ not json");
        assertThatThrownBy(() -> ModelTokenizer.load(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void noEosAnywhereIsAnError() throws Exception {
        TokenizerFixtures.plain(dir);
        ObjectNode cfg = readJson("tokenizer_config.json");
        cfg.remove("eos_token");
        writeJson("tokenizer_config.json", cfg);
        assertThatThrownBy(() -> ModelTokenizer.load(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("no EOS token");
    }

    @Test
    void specialTokenMissingFromVocabularyIsAnError() throws Exception {
        TokenizerFixtures.plain(dir);
        ObjectNode cfg = readJson("tokenizer_config.json");
        cfg.put("eos_token", "<|nope|>");
        writeJson("tokenizer_config.json", cfg);
        assertThatThrownBy(() -> ModelTokenizer.load(dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("eos_token \"<|nope|>\" is not in the vocabulary");
    }
}
