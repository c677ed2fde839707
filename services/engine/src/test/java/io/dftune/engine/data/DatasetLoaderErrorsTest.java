package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderErrorsTest {

    private static final String GOOD = "{\"prompt\": \"p\", \"response\": \"r\"}";

    @TempDir
    Path dir;

    private ModelTokenizer tok;

    @BeforeEach
    void tokenizer() {
        TokenizerFixtures.plain(dir.resolve("model"));
        tok = ModelTokenizer.load(dir.resolve("model"));
    }

    @AfterEach
    void close() {
        tok.close();
    }

    private void assertFails(String name, String expectedMessage, String... lines) {
        Path f = jsonl(dir, name, lines);
        assertThatThrownBy(() -> DatasetLoader.load(f, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessage(f + expectedMessage);
    }

    @Test
    void malformedJsonNamesFileAndLine() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            lines.add(GOOD);
        }
        lines.add("");
        lines.add("{\"prompt\": \"p\", \"response\": }");
        Path f = jsonl(dir, "train.jsonl", lines.toArray(String[]::new));
        assertThatThrownBy(() -> DatasetLoader.load(f, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(f + " line 17: invalid JSON at column 29: Unexpected character ('}'");
    }

    @Test
    void trailingGarbageAndNonObjectsAreRejected() {
        assertFails("a.jsonl", " line 1: unexpected text after the JSON value at column 34", GOOD + " {}");
        assertFails("b.jsonl", " line 2: expected a JSON object, got an array", GOOD, "[1, 2]");
        assertThatThrownBy(() -> DatasetLoader.load(
                        jsonl(dir, "c.jsonl", "{\"prompt\": \"p\", \"prompt\": \"q\", \"response\": \"r\"}"), tok, 64))
                .hasMessageContaining("c.jsonl line 1: invalid JSON")
                .hasMessageContaining("Duplicate field 'prompt'");
    }

    @Test
    void missingAndMistypedKeysAreNamed() {
        assertFails("a.jsonl", " line 2: missing required key \"response\"", GOOD, "{\"prompt\": \"p\"}");
        assertFails(
                "b.jsonl",
                " line 1: \"prompt\" must be a string, got a number (3)",
                "{\"prompt\": 3, \"response\": \"r\"}");
        assertFails(
                "c.jsonl",
                " line 1: \"answer\" must be a string or number, got an object",
                "{\"prompt\": \"p\", \"response\": \"r\", \"answer\": {}}");
        assertFails(
                "d.jsonl",
                " line 1: record has none of the keys prompt/response, messages (or ShareGPT's conversations) or "
                        + "input_ids/completion_mask (keys found: [text]); name yours with spec.data.columns",
                "{\"text\": \"hello\"}");
    }

    @Test
    void mixedFormatsAreRejected() {
        assertFails(
                "a.jsonl",
                " line 3: record is in MESSAGES format but the first record (" + dir.resolve("a.jsonl")
                        + " line 1) is PROMPT_RESPONSE; use one format per dataset",
                GOOD,
                GOOD,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertFails(
                "b.jsonl",
                " line 1: record mixes keys of the formats [PROMPT_RESPONSE, MESSAGES] "
                        + "(keys found: [prompt, messages]); choose one with spec.data.columns",
                "{\"prompt\": \"p\", \"messages\": []}");
    }

    @Test
    void emptyAndBlankFilesAreErrors() {
        assertFails("empty.jsonl", " contains no records (the file is empty or blank)", "");
        assertFails("blank.jsonl", " contains no records (the file is empty or blank)", "", "   ", "\t");
    }

    @Test
    void missingFileDirectoryAndBadEncodingNameThePath() throws Exception {
        Path missing = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> DatasetLoader.load(missing, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessage("dataset file not found: " + missing);
        assertThatThrownBy(() -> DatasetLoader.load(dir, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir + " is a directory without .parquet files");
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, "{\"prompt\": \"caf\u00e9\", \"response\": \"r\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DatasetLoader.load(latin1, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessage(latin1 + " is not valid UTF-8 text");
    }

    @Test
    void blankLinesAndByteOrderMarkAreIgnored() throws Exception {
        Path f = dir.resolve("bom.jsonl");
        Files.writeString(f, "\uFEFF" + GOOD + "\n\n  \n" + GOOD + "\n", StandardCharsets.UTF_8);
        assertThat(DatasetLoader.load(f, tok, 64).size()).isEqualTo(2);
    }
}
