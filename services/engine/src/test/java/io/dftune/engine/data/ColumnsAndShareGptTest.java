package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.concat;
import static io.dftune.engine.data.DataTestSupport.fill;
import static io.dftune.engine.data.DataTestSupport.jsonl;
import static io.dftune.engine.data.DataTestSupport.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnsAndShareGptTest {

    @TempDir
    Path dir;

    @Test
    void mappedColumnsWithSystemAndQueryGoThroughTheTemplateAsTheirMessages() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "alpaca.jsonl",
                "{\"instruction\": \"Add.\", \"input\": \"2 and 3\", \"output\": \"5\", \"sys\": \"Be exact.\"}");
        DatasetOptions columns = new DatasetOptions(
                Map.of("prompt", "instruction", "query", "input", "response", "output", "system", "sys"), 0);
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex =
                    DatasetLoader.load(f, tok, 256, columns).examples().get(0);
            int[] prompt = tok.encode("<|im_start|>system\nBe exact.<|im_end|>\n<|im_start|>user\nAdd.\n2 and 3"
                    + "<|im_end|>\n<|im_start|>assistant\n");
            int[] response = tok.encode("5");
            assertThat(ex.inputIds()).containsExactly(concat(prompt, response, of(tok.eosId())));
            assertThat(ex.completionMask())
                    .containsExactly(concat(fill(prompt.length, 0), fill(response.length + 1, 1)));
            assertThat(ex.prompt()).isEqualTo("Add.\n2 and 3");
        }
    }

    @Test
    void shareGptTurnsTrainAsTheSameMessagesInRoleAndContent() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path shareGpt = jsonl(
                dir,
                "sharegpt.jsonl",
                "{\"conversations\": [{\"from\": \"system\", \"value\": \"S\"}, {\"from\": \"human\", \"value\": \"Q\"},"
                        + " {\"from\": \"gpt\", \"value\": \"A\"}]}");
        Path messages = jsonl(
                dir,
                "messages.jsonl",
                "{\"messages\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"Q\"},"
                        + " {\"role\": \"assistant\", \"content\": \"A\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample a =
                    DatasetLoader.load(shareGpt, tok, 256).examples().get(0);
            TrainingExample b =
                    DatasetLoader.load(messages, tok, 256).examples().get(0);
            assertThat(a.inputIds()).containsExactly(b.inputIds());
            assertThat(a.completionMask()).containsExactly(b.completionMask());
            assertThat(a.responseTokenCount()).isPositive();
        }
    }

    @Test
    void shareGptErrorsNameTheTurnAndItsKey() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            Path unknown = jsonl(
                    dir,
                    "a.jsonl",
                    "{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}, {\"from\": \"bot\", "
                            + "\"value\": \"A\"}]}");
            assertThatThrownBy(() -> DatasetLoader.load(unknown, tok, 256))
                    .isInstanceOf(DatasetException.class)
                    .hasMessage(unknown + " line 1: conversations[1].from is \"bot\"; ShareGPT roles are human, gpt, "
                            + "system, function_call, observation (or user, assistant, tool)");
            Path badCall = jsonl(
                    dir,
                    "b.jsonl",
                    "{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}, {\"from\": "
                            + "\"function_call\", \"value\": \"{\\\"arguments\\\": {}}\"}]}");
            assertThatThrownBy(() -> DatasetLoader.load(badCall, tok, 256))
                    .hasMessage(badCall + " line 1: conversations[1].value of a function_call must be "
                            + "{\"name\": ..., \"arguments\": ...} or a list of them");
            Path noValue = jsonl(dir, "c.jsonl", "{\"conversations\": [{\"from\": \"human\"}]}");
            assertThatThrownBy(() -> DatasetLoader.load(noValue, tok, 256))
                    .hasMessage(noValue + " line 1: conversations[0].value must be a string, got nothing");
        }
    }

    @Test
    void aColumnOfOneLayoutPicksItWhenARecordHasTwo() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "numina.jsonl",
                "{\"problem\": \"P\", \"solution\": \"S\", \"messages\": [{\"role\": \"user\", \"content\": \"P\"}, "
                        + "{\"role\": \"assistant\", \"content\": \"S\"}]}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThat(DatasetLoader.load(f, tok, 256).format()).isEqualTo(DataFormat.MESSAGES);
            LoadedDataset mapped = DatasetLoader.load(
                    f, tok, 256, new DatasetOptions(Map.of("prompt", "problem", "response", "solution"), 0));
            assertThat(mapped.format()).isEqualTo(DataFormat.PROMPT_RESPONSE);
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 256, new DatasetOptions(Map.of("promt", "x"), 0)))
                    .hasMessageStartingWith("spec.data.columns.promt: unknown name");
        }
    }
}
