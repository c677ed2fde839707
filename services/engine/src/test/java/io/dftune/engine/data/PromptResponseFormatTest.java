package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.concat;
import static io.dftune.engine.data.DataTestSupport.fill;
import static io.dftune.engine.data.DataTestSupport.jsonl;
import static io.dftune.engine.data.DataTestSupport.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ByteLevelTokenizerFiles;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptResponseFormatTest {

    @TempDir
    Path dir;

    @Test
    void promptGoesThroughTheChatTemplateAndOnlyResponsePlusEosIsTrained() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "train.jsonl",
                "{\"prompt\": \"What is two plus two?\", \"response\": \"Four.\", \"answer\": \"4\"}",
                "",
                "{\"prompt\": \"Capital of France?\", \"response\": \"Paris\", \"answer\": 7}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            LoadedDataset ds = DatasetLoader.load(f, tok, 1024);
            assertThat(ds.format()).isEqualTo(DataFormat.PROMPT_RESPONSE);
            assertThat(ds.size()).isEqualTo(2);
            assertThat(ds.skippedCount()).isZero();
            assertThat(ds.file()).isEqualTo(f);

            int[] prompt = tok.encode("<|im_start|>user\nWhat is two plus two?<|im_end|>\n<|im_start|>assistant\n");
            int[] response = tok.encode("Four.");
            TrainingExample ex = ds.examples().get(0);
            assertThat(ex.inputIds()).containsExactly(concat(prompt, response, of(tok.eosId())));
            assertThat(ex.completionMask())
                    .containsExactly(concat(fill(prompt.length, 0), fill(response.length + 1, 1)));
            assertThat(ex.responseTokenCount()).isEqualTo(response.length + 1);
            assertThat(ex.prompt()).isEqualTo("What is two plus two?");
            assertThat(ex.answer()).isEqualTo("4");
            assertThat(ds.examples().get(1).answer()).isEqualTo("7");
            assertThat(ds.responseTokenCount())
                    .isEqualTo(ex.responseTokenCount() + ds.examples().get(1).responseTokenCount());
        }
    }

    @Test
    void withoutTemplateThePromptIsRawAndLlamaStyleBosIsAdded() {
        TokenizerFixtures.llama(dir.resolve("model"), false);
        Path f = jsonl(dir, "train.jsonl", "{\"prompt\": \"Q: 2+2?\\nA:\", \"response\": \" 4\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            int[] prompt = tok.encode("Q: 2+2?\nA:");
            int[] response = tok.encode(" 4");
            assertThat(ex.inputIds())
                    .containsExactly(concat(of(tok.bosId().getAsInt()), prompt, response, of(tok.eosId())));
            assertThat(ex.completionMask())
                    .containsExactly(concat(fill(1 + prompt.length, 0), fill(response.length + 1, 1)));
        }
    }

    @Test
    void bosIsNotDuplicatedWhenTheTemplateWritesIt() {
        TokenizerFixtures.llama(dir.resolve("model"), true);
        Path f = jsonl(dir, "train.jsonl", "{\"prompt\": \"hi\", \"response\": \"hello\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            int bos = tok.bosId().getAsInt();
            int[] prompt = tok.encode("<s>[INST] hi [/INST]");
            assertThat(prompt[0]).isEqualTo(bos);
            assertThat(ex.inputIds()).containsExactly(concat(prompt, tok.encode("hello"), of(tok.eosId())));
            assertThat(ex.inputIds()[1]).isNotEqualTo(bos);
        }
    }

    @Test
    void responseAlreadyEndingInEosGetsNoSecondEos() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(dir, "train.jsonl", "{\"prompt\": \"a\", \"response\": \"b<|endoftext|>\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            assertThat(ex.inputIds()).containsExactly(concat(tok.encode("a"), tok.encode("b"), of(tok.eosId())));
            assertThat(ex.completionMask()).containsExactly(0, 1, 1);
        }
    }

    @Test
    void firstTokenIsNeverATarget() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(dir, "train.jsonl", "{\"prompt\": \"\", \"response\": \"xy\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            TrainingExample ex = DatasetLoader.load(f, tok, 1024).examples().get(0);
            assertThat(ex.inputIds()).containsExactly(concat(tok.encode("xy"), of(tok.eosId())));
            assertThat(ex.completionMask()).containsExactly(0, 1, 1);
        }
    }

    @Test
    void rightTruncationKeepsTheBeginningAndSkipsExamplesWithoutResponseTokens() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "train.jsonl",
                "{\"prompt\": \"abcd\", \"response\": \"efgh\"}", // 4 + 4 + EOS = 9 tokens (bytes, no merges)
                "{\"prompt\": \"abcdefgh\", \"response\": \"ij\"}", // response starts at position 8
                "{\"prompt\": \"ab\", \"response\": \"c\"}"); // 4 tokens, fits
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            LoadedDataset ds = DatasetLoader.load(f, tok, 6);
            assertThat(ds.size()).isEqualTo(2);
            assertThat(ds.skippedCount()).isEqualTo(1);
            assertThat(ds.truncatedCount()).isEqualTo(1);
            TrainingExample cut = ds.examples().get(0);
            assertThat(cut.inputIds()).containsExactly(tok.encode("abcdef"));
            assertThat(cut.completionMask()).containsExactly(0, 0, 0, 0, 1, 1);
            assertThat(ds.examples().get(1).inputIds()).containsExactly(concat(tok.encode("abc"), of(tok.eosId())));
        }
    }

    @Test
    void allSkippedIsAnErrorNamingFileAndMaxLength() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(
                dir,
                "long.jsonl",
                "{\"prompt\": \"a long prompt\", \"response\": \"r\"}",
                "{\"prompt\": \"another long prompt\", \"response\": \"r\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 5))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining("all 2 records of " + f)
                    .hasMessageContaining("max length of 5");
        }
    }

    @Test
    void templateFailureNamesFileAndLine() throws Exception {
        Path model = dir.resolve("model");
        ByteLevelTokenizerFiles.builder()
                .eosToken("</s>")
                .chatTemplate(
                        "{% if messages[0]['content'] == 'bad' %}{{ raise_exception('no bad prompts') }}{% endif %}ok")
                .write(model);
        Path f = jsonl(
                dir,
                "train.jsonl",
                "{\"prompt\": \"fine\", \"response\": \"b\"}",
                "{\"prompt\": \"bad\", \"response\": \"b\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(model)) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 64))
                    .isInstanceOf(DatasetException.class)
                    .hasMessage(f + " line 2: chat template raised an exception: no bad prompts");
        }
    }

    @Test
    void rejectsMaxLengthBelowTwo() {
        TokenizerFixtures.plain(dir.resolve("model"));
        Path f = jsonl(dir, "train.jsonl", "{\"prompt\": \"a\", \"response\": \"b\"}");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            assertThatThrownBy(() -> DatasetLoader.load(f, tok, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
