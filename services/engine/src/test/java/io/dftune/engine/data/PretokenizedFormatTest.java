package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretokenizedFormatTest {

    @TempDir
    Path dir;

    private ModelTokenizer tok;

    @BeforeEach
    void tokenizer() {
        TokenizerFixtures.plain(dir.resolve("model")); // vocabulary 0..256
        tok = ModelTokenizer.load(dir.resolve("model"));
    }

    @AfterEach
    void close() {
        tok.close();
    }

    private void assertFails(String line, String expected) {
        Path f = jsonl(dir, "tok.jsonl", "{\"input_ids\": [1, 2], \"completion_mask\": [0, 1]}", line);
        assertThatThrownBy(() -> DatasetLoader.load(f, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessage(f + " line 2: " + expected);
    }

    @Test
    void loadsIdsAndMaskAsGiven() {
        Path f = jsonl(
                dir,
                "tok.jsonl",
                "{\"input_ids\": [5, 6, 7, 256], \"completion_mask\": [0, 0, 1, 1], \"answer\": \"x\"}",
                "{\"input_ids\": [5, 6], \"completion_mask\": [0, 0]}");
        LoadedDataset ds = DatasetLoader.load(f, tok, 64);
        assertThat(ds.format()).isEqualTo(DataFormat.PRETOKENIZED);
        assertThat(ds.size()).isEqualTo(1);
        assertThat(ds.skippedCount()).isEqualTo(1);
        TrainingExample ex = ds.examples().get(0);
        assertThat(ex.inputIds()).containsExactly(5, 6, 7, 256);
        assertThat(ex.completionMask()).containsExactly(0, 0, 1, 1);
        assertThat(ex.prompt()).isNull();
        assertThat(ex.answer()).isEqualTo("x");
    }

    @Test
    void maskAtPositionZeroIsClearedBecauseNothingPredictsIt() {
        Path f = jsonl(dir, "tok.jsonl", "{\"input_ids\": [5, 6, 7], \"completion_mask\": [1, 1, 1]}");
        TrainingExample ex = DatasetLoader.load(f, tok, 64).examples().get(0);
        assertThat(ex.completionMask()).containsExactly(0, 1, 1);
        assertThat(ex.responseTokenCount()).isEqualTo(2);
    }

    @Test
    void truncates() {
        Path f = jsonl(dir, "tok.jsonl", "{\"input_ids\": [1, 2, 3, 4, 5], \"completion_mask\": [0, 0, 1, 1, 1]}");
        LoadedDataset ds = DatasetLoader.load(f, tok, 3);
        assertThat(ds.examples().get(0).inputIds()).containsExactly(1, 2, 3);
        assertThat(ds.examples().get(0).completionMask()).containsExactly(0, 0, 1);
        assertThat(ds.truncatedCount()).isEqualTo(1);
    }

    @Test
    void validatesFields() {
        assertFails(
                "{\"input_ids\": [1, 2, 3], \"completion_mask\": [0, 1]}",
                "input_ids has 3 entries but completion_mask has 2");
        assertFails(
                "{\"input_ids\": [1, 2], \"completion_mask\": [0, 2]}",
                "completion_mask[1] = 2; values must be 0 or 1");
        assertFails(
                "{\"input_ids\": [1, 257], \"completion_mask\": [0, 1]}",
                "input_ids[1] = 257 is outside the vocabulary (0..256)");
        assertFails(
                "{\"input_ids\": [-1, 2], \"completion_mask\": [0, 1]}",
                "input_ids[0] = -1 is outside the vocabulary (0..256)");
        assertFails(
                "{\"input_ids\": [1, 2.5], \"completion_mask\": [0, 1]}",
                "input_ids[1] must be an integer, got a number (2.5)");
        assertFails(
                "{\"input_ids\": [1, \"2\"], \"completion_mask\": [0, 1]}",
                "input_ids[1] must be an integer, got a string (\"2\")");
        assertFails("{\"input_ids\": [1, 2]}", "missing required key \"completion_mask\"");
        assertFails(
                "{\"input_ids\": \"12\", \"completion_mask\": [0, 1]}",
                "\"input_ids\" must be an array of integers, got a string (\"12\")");
        assertFails("{\"input_ids\": [], \"completion_mask\": []}", "input_ids is empty");
    }
}
