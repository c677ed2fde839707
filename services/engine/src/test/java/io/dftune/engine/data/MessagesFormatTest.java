package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.concat;
import static io.dftune.engine.data.DataTestSupport.fill;
import static io.dftune.engine.data.DataTestSupport.jsonl;
import static io.dftune.engine.data.DataTestSupport.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagesFormatTest {

    private static final String CONVERSATION = "{\"messages\": ["
            + "{\"role\": \"system\", \"content\": \"Be brief.\"},"
            + "{\"role\": \"user\", \"content\": \"2+2?\"},"
            + "{\"role\": \"assistant\", \"content\": \"4\"},"
            + "{\"role\": \"user\", \"content\": \"3+3?\"},"
            + "{\"role\": \"assistant\", \"content\": \"6\"}], \"answer\": \"6\"}";

    @TempDir
    Path dir;

    @Test
    void chatMlTrainsAssistantContentAndImEndButNotTheNewlineAfter() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(dir, "chat.jsonl", CONVERSATION);
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            LoadedDataset ds = DatasetLoader.load(f, tok, 1024);
            assertThat(ds.format()).isEqualTo(DataFormat.MESSAGES);
            TrainingExample ex = ds.examples().get(0);

            int[] p1 = tok.encode("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
                    + "<|im_start|>assistant\n");
            int[] a1 = tok.encode("4<|im_end|>");
            int[] nl = tok.encode("\n");
            int[] p2 = tok.encode("<|im_start|>user\n3+3?<|im_end|>\n<|im_start|>assistant\n");
            int[] a2 = tok.encode("6<|im_end|>");
            assertThat(ex.inputIds()).containsExactly(concat(p1, a1, nl, p2, a2, nl));
            assertThat(ex.completionMask())
                    .containsExactly(concat(
                            fill(p1.length, 0),
                            fill(a1.length, 1),
                            fill(nl.length, 0),
                            fill(p2.length, 0),
                            fill(a2.length, 1),
                            fill(nl.length, 0)));
            assertThat(a1[a1.length - 1]).isEqualTo(tok.eosId());
            assertThat(ex.responseTokenCount()).isEqualTo(a1.length + a2.length);
            assertThat(ex.prompt()).isEqualTo("2+2?");
            assertThat(ex.answer()).isEqualTo("6");
            // The pieces tokenize to the same text the template renders for the whole conversation.
            assertThat(tok.decode(ex.inputIds()))
                    .isEqualTo(
                            tok.decode(
                                    tok.encode(
                                            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
                                                    + "4<|im_end|>\n<|im_start|>user\n3+3?<|im_end|>\n<|im_start|>assistant\n6<|im_end|>\n")));
        }
    }

    @Test
    void llamaStyleTemplateKeepsItsOwnBosAndTrainsTheEos() {
        TokenizerFixtures.llama(dir.resolve("model"), true);
        Path f = jsonl(
                dir,
                "chat.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"},"
                        + "{\"role\": \"assistant\", \"content\": \"hello\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            int[] prompt = tok.encode("<s>[INST] hi [/INST]");
            int[] answer = tok.encode(" hello </s>");
            assertThat(ex.inputIds()).containsExactly(concat(prompt, answer));
            assertThat(ex.completionMask()).containsExactly(concat(fill(prompt.length, 0), fill(answer.length, 1)));
            assertThat(Arrays.stream(ex.inputIds())
                            .filter(id -> id == tok.bosId().getAsInt())
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void withoutTemplateUsesThePlainRoleFormat() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "chat.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"},"
                        + "{\"role\": \"assistant\", \"content\": \"yo\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            int[] prompt = tok.encode("User: hi\nAssistant: ");
            int[] answer = concat(tok.encode("yo"), of(tok.eosId()));
            int[] nl = tok.encode("\n");
            assertThat(ex.inputIds()).containsExactly(concat(prompt, answer, nl));
            assertThat(ex.completionMask())
                    .containsExactly(concat(fill(prompt.length, 0), fill(answer.length, 1), fill(nl.length, 0)));
        }
    }

    @Test
    void conversationsWithoutAssistantTurnsAreSkipped() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(dir, "chat.jsonl", CONVERSATION, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        Path none = jsonl(dir, "none.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            LoadedDataset ds = DatasetLoader.load(f, tok, 1024);
            assertThat(ds.size()).isEqualTo(1);
            assertThat(ds.skippedCount()).isEqualTo(1);
            assertThatThrownBy(() -> DatasetLoader.load(none, tok, 1024))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining("all 1 records of " + none);
        }
    }

    @Test
    void truncationInsideTheSecondTurnKeepsTheFirst() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(dir, "chat.jsonl", CONVERSATION);
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            int full = DatasetLoader.load(f, tok, 1024).examples().get(0).length();
            TrainingExample cut =
                    DatasetLoader.load(f, tok, full - 4).examples().get(0);
            TrainingExample whole = DatasetLoader.load(f, tok, 1024).examples().get(0);
            assertThat(cut.inputIds()).containsExactly(Arrays.copyOf(whole.inputIds(), full - 4));
            assertThat(cut.completionMask()).containsExactly(Arrays.copyOf(whole.completionMask(), full - 4));
        }
    }

    private void template(String source) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path cfgFile = dir.resolve("model/tokenizer_config.json");
        ObjectNode cfg = (ObjectNode) json.readTree(cfgFile.toFile());
        cfg.put("chat_template", source);
        json.writeValue(cfgFile.toFile(), cfg);
    }

    @Test
    void toolsToolCallsReasoningAndContentPartsReachTheTemplateAsGiven() throws Exception {
        TokenizerFixtures.chatml(dir.resolve("model"));
        template("{% if tools %}<|im_start|>tools {{ tools | map(attribute='function.name') | join(',') }}<|im_end|>"
                + "{% endif %}{% for m in messages %}<|im_start|>{{ m.role }}\n"
                + "{% if m.reasoning_content %}({{ m.reasoning_content }}){% endif %}"
                + "{% if m.content is string %}{{ m.content }}{% elif m.content %}{% for p in m.content %}[{{ p.text }}]"
                + "{% endfor %}{% endif %}{% for c in m.tool_calls or [] %}{{ c.function.name }}"
                + "{{ c.function.arguments | tojson }}{% endfor %}<|im_end|>{% endfor %}"
                + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}");
        Path f = jsonl(
                dir,
                "rich.jsonl",
                "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"add\"}}], \"messages\": ["
                        + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"2+2?\"}]},"
                        + "{\"role\": \"assistant\", \"content\": null, \"reasoning_content\": \"use add\","
                        + " \"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"add\","
                        + " \"arguments\": {\"a\": 2, \"b\": 2}}}]},"
                        + "{\"role\": \"tool\", \"content\": \"4\"},"
                        + "{\"role\": \"assistant\", \"content\": \"four\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            RecordPreview p = DatasetLoader.preview(f, tok, 1024, 1).get(0);
            assertThat(tok.decodeWithSpecialTokens(p.allIds()))
                    .isEqualTo("<|im_start|>tools add<|im_end|><|im_start|>user\n[2+2?]<|im_end|>"
                            + "<|im_start|>assistant\n(use add)add{\"a\": 2, \"b\": 2}<|im_end|>"
                            + "<|im_start|>tool\n4<|im_end|><|im_start|>assistant\nfour<|im_end|>");
            assertThat(RealTokenizersTest.trainedRuns(tok, p.example()))
                    .containsExactly("(use add)add{\"a\": 2, \"b\": 2}<|im_end|>", "four<|im_end|>");
        }
    }

    @Test
    void assistantTextHoldingTheEndOfTurnTokenIsRejected() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "eot.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"},"
                        + "{\"role\": \"assistant\", \"content\": \"yo<|im_end|>more\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 1024))
                    .isInstanceOf(DatasetException.class)
                    .hasMessage(f + " line 1: messages[1] (assistant) contains the end-of-turn token <|im_end|> in "
                            + "its text; remove it (the template writes it after the turn)");
        }
    }

    @Test
    void templateThatRewritesEarlierTurnsIsRejectedWithTheLine() throws Exception {
        TokenizerFixtures.chatml(dir.resolve("model"));
        // Writes the number of messages first, so a shorter conversation never renders as a prefix.
        template("{{ messages|length }}{% for m in messages %}{{ m.content }}{% endfor %}");
        Path f = jsonl(dir, "chat.jsonl", CONVERSATION, CONVERSATION);
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 1024))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageStartingWith(f + " line 1: ")
                    .hasMessageContaining("not a prefix");
        }
    }

    @Test
    void templateExceptionsNameTheLine() {
        TokenizerFixtures.llama(dir.resolve("model"), true);
        Path f = jsonl(
                dir,
                "chat.jsonl",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"},"
                        + " {\"role\": \"assistant\", \"content\": \"c\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 1024))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageStartingWith(f + " line 2: ")
                    .hasMessageContaining("Conversation roles must alternate");
        }
    }

    @Test
    void malformedMessagesNameTheProblem() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(jsonl(dir, "a.jsonl", "{\"messages\": []}"), tok, 64))
                    .hasMessageContaining("a.jsonl line 1: \"messages\" must be a non-empty array");
            assertThatThrownBy(() -> DatasetLoader.load(
                            jsonl(dir, "b.jsonl", "{\"messages\": [{\"role\": \"user\"}]}"), tok, 64))
                    .hasMessageContaining("b.jsonl line 1: messages[0].content is missing");
            assertThatThrownBy(() -> DatasetLoader.load(
                            jsonl(dir, "c.jsonl", "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"), tok, 64))
                    .hasMessageContaining(
                            "messages[0].content must be a string, a list of parts or null, got a number (5)");
        }
    }
}
