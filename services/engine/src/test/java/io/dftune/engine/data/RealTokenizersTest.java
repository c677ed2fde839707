package io.dftune.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.RealChatTemplates;
import io.dftune.engine.tokenizer.TokenSpans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real tokenizers of eight model families (one test class, so that each large tokenizer.json loads once).
 *
 * <p>Token ids through ModelTokenizer (DJL's Hugging Face tokenizers) equal those of transformers.js on hard
 * strings (hard-strings.json: CJK, emoji ZWJ sequences, code, whitespace runs, inline special tokens,
 * combining marks, ...; token-ids.json, made by src/test/reference/tokenize-hard-strings.mjs).
 *
 * <p>Assistant masks with the real tokenizers and chat templates of eight model families, on every conversation
 * of chat-templates/conversations.json that the template renders. The token ids must be the tokenization of
 * the whole conversation as the independent Jinja implementations rendered it; the trained tokens must form one
 * run per assistant message holding its text and ending with the family's end-of-turn token, with nothing of
 * other messages or of the template's role headers in it.
 */
class RealTokenizersTest {

    /** The token each family ends an assistant turn with, and the text of its role headers (never trained). */
    private static final Map<String, List<String>> END_AND_HEADERS = Map.of(
            "qwen3", List.of("<|im_end|>", "<|im_start|>"),
            "qwen2_5", List.of("<|im_end|>", "<|im_start|>"),
            "llama3", List.of("<|eot_id|>", "<|start_header_id|>"),
            "llama3_1", List.of("<|eot_id|>", "<|start_header_id|>"),
            "llama3_2", List.of("<|eot_id|>", "<|start_header_id|>"),
            "gemma3", List.of("<end_of_turn>", "<start_of_turn>"),
            "gemini", List.of("<end_of_turn>", "<start_of_turn>"),
            "deepseek_v3", List.of("<｜end▁of▁sentence｜>", "<｜Assistant｜>"));

    private static ModelTokenizer tokenizer(String model) {
        return RealChatTemplates.tokenizer(model);
    }

    /** The model's encoder, its template's strftime_now seeing the day the expected renderings were made. */
    private static MessagesEncoder encoder(String model) {
        return new MessagesEncoder(tokenizer(model), RealChatTemplates.chatTemplate(model)::render);
    }

    @ParameterizedTest
    @MethodSource("io.dftune.engine.tokenizer.RealChatTemplates#models")
    void trainedTokensAreExactlyTheAssistantTurns(String model) {
        RealChatTemplates.Fixture fixture = RealChatTemplates.fixture(model);
        String end = END_AND_HEADERS.get(model).get(0);
        String header = END_AND_HEADERS.get(model).get(1);
        int checked = 0;
        ModelTokenizer tok = tokenizer(model);
        MessagesEncoder encoder = encoder(model);
        {
            for (RealChatTemplates.Case c : RealChatTemplates.cases()) {
                String whole = fixture.renders().get(c.name()).text();
                if (c.addGenerationPrompt() || whole == null) {
                    continue;
                }
                TokenSequence seq = encoder.encode(c.conversation());
                TrainingExample ex = seq.toExample(seq.size(), null, null);
                String at = model + " / " + c.name();
                assertThat(ex.inputIds()).as(at).containsExactly(withBos(tok, whole, tok.encode(whole)));
                List<String> runs = trainedRuns(tok, ex);
                List<ChatMessage> assistants = c.conversation().messages().stream()
                        .filter(m -> m.role().equals("assistant"))
                        .toList();
                assertThat(runs).as(at).hasSameSizeAs(assistants);
                for (int k = 0; k < runs.size(); k++) {
                    String run = runs.get(k);
                    assertThat(run).as(at + " turn " + k).doesNotContain(header);
                    if (!(model.equals("deepseek_v3") && c.name().startsWith("tool_call"))) {
                        assertThat(run).as(at + " turn " + k).endsWith(end);
                    }
                    String answer = visibleAnswer(assistants.get(k));
                    if (assistants.get(k).content() instanceof String && !answer.isEmpty()) {
                        assertThat(run).as(at + " turn " + k).contains(answer);
                    }
                    for (ChatMessage other : c.conversation().messages()) {
                        if (!other.role().equals("assistant")
                                && other.text().strip().length() > 3) {
                            assertThat(run)
                                    .as(at + " turn " + k)
                                    .doesNotContain(other.text().strip());
                        }
                    }
                }
                checked++;
            }
        }
        // Gemma's templates refuse system messages and roles that do not alternate.
        assertThat(checked).as(model + ": conversations checked").isGreaterThanOrEqualTo(4);
    }

    /** The answer the turn must contain: the content after any reasoning block, without surrounding whitespace. */
    private static String visibleAnswer(ChatMessage m) {
        String text = m.text();
        int think = text.lastIndexOf("</think>");
        return (think >= 0 ? text.substring(think + "</think>".length()) : text).strip();
    }

    private static int[] withBos(ModelTokenizer tok, String text, int[] ids) {
        if (!tok.addsBos() || text.startsWith(tok.bosToken().orElseThrow())) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tok.bosId().getAsInt();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /** The decoded text of each run of consecutive trained tokens, special tokens included. */
    static List<String> trainedRuns(ModelTokenizer tok, TrainingExample ex) {
        List<String> runs = new ArrayList<>();
        int[] ids = ex.inputIds();
        int[] mask = ex.completionMask();
        for (int t = 0; t < ids.length; t++) {
            if (mask[t] == 1 && (t == 0 || mask[t - 1] == 0)) {
                int e = t;
                while (e < ids.length && mask[e] == 1) {
                    e++;
                }
                runs.add(tok.decodeWithSpecialTokens(java.util.Arrays.copyOfRange(ids, t, e)));
            }
        }
        return runs;
    }

    private static String run(String model, String caseName, int turn) {
        RealChatTemplates.Case c = RealChatTemplates.cases().stream()
                .filter(x -> x.name().equals(caseName))
                .findFirst()
                .orElseThrow();
        TokenSequence seq = encoder(model).encode(c.conversation());
        return trainedRuns(tokenizer(model), seq.toExample(seq.size(), null, null))
                .get(turn);
    }

    @Test
    void qwen3TrainsEarlierTurnsWithoutTheReasoningItDropsAndTheLastWithIt() {
        // Rendered as the last message, turn 0 would carry its reasoning; in the whole conversation it does not.
        assertThat(run("qwen3", "reasoning_content", 0)).isEqualTo("51<|im_end|>");
        assertThat(run("qwen3", "reasoning_content", 1)).isEqualTo("<think>\n17*4 = 68.\n</think>\n\n68<|im_end|>");
        assertThat(run("qwen3", "inline_think", 0)).isEqualTo("Paris.<|im_end|>");
        assertThat(run("qwen3", "inline_think", 1)).isEqualTo("<think>\nRome it is.\n</think>\n\nRome.<|im_end|>");
    }

    @Test
    void qwen3LastTurnWithoutReasoningTrainsTheEmptyThinkBlock() {
        assertThat(run("qwen3", "empty_reasoning_last_turn", 0)).isEqualTo("<think>\n\n</think>\n\nHi.<|im_end|>");
    }

    @Test
    void toolCallsAreTrainedAsTheTemplateWritesThem() {
        assertThat(run("llama3_2", "tool_call_dict_arguments", 0))
                .isEqualTo("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Zürich\", \"days\": 2, "
                        + "\"metric\": true, \"extra\": null, \"ratio\": 0.5}}<|eot_id|>");
        assertThat(run("qwen2_5", "parallel_tool_calls", 0))
                .isEqualTo("Let me check both.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                        + "{\"city\": \"Oslo\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"search\", \"arguments\": "
                        + "{\"query\": \"Oslo news\", \"limit\": 3}}\n</tool_call><|im_end|>");
        // DeepSeek-V3's template writes no end-of-sentence token after a single tool call: the turn ends where
        // the tool outputs begin.
        assertThat(run("deepseek_v3", "tool_call_string_arguments_null_content", 0))
                .isEqualTo("<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n"
                        + "```json\n{\"city\": \"Oslo\"}\n```<｜tool▁call▁end｜>");
        assertThat(run("deepseek_v3", "tool_call_string_arguments_null_content", 1))
                .isEqualTo("It is -3 °C in Oslo.<｜end▁of▁sentence｜>");
    }

    @ParameterizedTest
    @MethodSource("io.dftune.engine.tokenizer.RealChatTemplates#models")
    void idsEqualTransformersJs(String model) {
        List<String> strings = RealChatTemplates.read("hard-strings.json", new TypeReference<List<String>>() {});
        Map<String, Object> expected = RealChatTemplates.read("token-ids.json", new TypeReference<>() {});
        @SuppressWarnings("unchecked")
        List<List<Integer>> ids = ((Map<String, List<List<Integer>>>) expected.get("ids")).get(model);
        ModelTokenizer tok = RealChatTemplates.tokenizer(model);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            int[] want = ids.get(i).stream().mapToInt(Integer::intValue).toArray();
            int[] got = tok.encode(strings.get(i));
            if (!Arrays.equals(got, want)) {
                wrong.add(i + " " + strings.get(i) + "\n  expected " + Arrays.toString(want) + "\n  got      "
                        + Arrays.toString(got));
            }
            TokenSpans spans = tok.encodeWithSpans(strings.get(i));
            assertThat(spans.ids()).as(model + " string " + i).containsExactly(got);
            for (int t = 1; t < got.length; t++) {
                assertThat(spans.start()[t])
                        .as(model + " string " + i + " token " + t)
                        .isGreaterThanOrEqualTo(spans.start()[t - 1]);
            }
        }
        assertThat(wrong).as(model).isEmpty();
    }
}
