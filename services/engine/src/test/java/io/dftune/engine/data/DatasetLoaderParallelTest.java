package io.dftune.engine.data;

import static io.dftune.engine.data.DataTestSupport.jsonl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records are encoded in parallel, in chunks: the result must be that of reading the file one record at a time. */
class DatasetLoaderParallelTest {

    private static final int RECORDS = 4_400; // more than one chunk
    /** More chunks than are encoded ahead of the one being added. */
    private static final int MANY_CHUNKS_RECORDS = 3 * 4096 + 300;

    private static final int MAX_LENGTH = 40;
    private static final String GOOD = "{\"prompt\": \"p\", \"response\": \"r\"}";

    @TempDir
    Path dir;

    private ModelTokenizer chatml() {
        TokenizerFixtures.chatml(dir.resolve("model"));
        return ModelTokenizer.load(dir.resolve("model"));
    }

    /** Record i: its prompt names i; some are cut at the max length, some have no response token left. */
    private static String prompt(int i) {
        return i % 97 == 0 ? "a long prompt that fills the whole window " + i : "question " + i;
    }

    private static String response(int i) {
        return i % 13 == 0 ? "an answer far too long to fit in the window " + i : "answer " + i;
    }

    @Test
    void examplesKeepFileOrderAndEqualOneByOneEncoding() {
        try (ModelTokenizer tok = chatml()) {
            assertLoadsAsOneByOne(tok);
        }
    }

    private void assertLoadsAsOneByOne(ModelTokenizer tok) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < MANY_CHUNKS_RECORDS; i++) {
            lines.add("{\"prompt\": \"" + prompt(i) + "\", \"response\": \"" + response(i) + "\", \"answer\": " + i
                    + "}");
            if (i % 1000 == 0) {
                lines.add("");
            }
        }
        LoadedDataset ds = DatasetLoader.load(jsonl(dir, "train.jsonl", lines.toArray(String[]::new)), tok, MAX_LENGTH);

        PromptResponseEncoder encoder = new PromptResponseEncoder(tok);
        List<TrainingExample> expected = new ArrayList<>();
        int skipped = 0;
        int truncated = 0;
        for (int i = 0; i < MANY_CHUNKS_RECORDS; i++) {
            TokenSequence seq = encoder.encode(null, prompt(i), response(i));
            TrainingExample ex = seq.toExample(MAX_LENGTH, prompt(i), Integer.toString(i));
            if (ex.responseTokenCount() == 0) {
                skipped++;
            } else {
                truncated += seq.truncatedBy(MAX_LENGTH) ? 1 : 0;
                expected.add(ex);
            }
        }
        assertThat(skipped).isPositive();
        assertThat(truncated).isPositive();
        assertThat(ds.skippedCount()).isEqualTo(skipped);
        assertThat(ds.truncatedCount()).isEqualTo(truncated);
        assertThat(ds.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            TrainingExample got = ds.examples().get(i);
            assertThat(got.answer()).isEqualTo(expected.get(i).answer());
            assertThat(got.prompt()).isEqualTo(expected.get(i).prompt());
            assertThat(got.inputIds()).containsExactly(expected.get(i).inputIds());
            assertThat(got.completionMask()).containsExactly(expected.get(i).completionMask());
        }
    }

    @Test
    void theFirstBadRecordInTheFileIsReportedWhateverFailsAfterIt() {
        String otherFormat = "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}";
        try (ModelTokenizer tok = chatml()) {
            assertFirstFailure(
                    tok,
                    " line 4101: missing required key \"response\"",
                    4100,
                    "{\"prompt\": \"p\"}",
                    otherFormat,
                    "not json");
            assertFirstFailure(
                    tok,
                    " line 2001: record is in MESSAGES format but the first record (" + dir.resolve("bad2000.jsonl")
                            + " line 1) is PROMPT_RESPONSE; use one format per dataset",
                    2000,
                    otherFormat,
                    "{\"prompt\": \"p\"}",
                    "not json");
            assertFirstFailure(tok, " line 2: invalid JSON", 1, "{", otherFormat, "{\"prompt\": \"p\"}");
        }
    }

    /**
     * Reading stops at text that is not JSON (a read failure, raised by the reading thread) while earlier chunks are
     * still being encoded: a bad record before it is still the error reported.
     */
    @Test
    void aBadRecordBeforeAnUnreadableOneIsReportedFirst() {
        try (ModelTokenizer tok = chatml()) {
            assertThatThrownBy(() -> DatasetLoader.load(jsonArray("both.json", 5000, 9000), tok, 64))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageStartingWith(
                            dir.resolve("both.json") + " record 5000 (line 5002): missing required key \"response\"");
            assertThatThrownBy(() -> DatasetLoader.load(jsonArray("unreadable.json", -1, 9000), tok, 64))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageStartingWith(dir.resolve("unreadable.json") + " line 9002")
                    .hasMessageContaining("invalid JSON");
        }
    }

    /** A JSON array of good records, one per line, but a record without a response at {@code bad} (if >= 0) and
     * broken JSON at {@code unreadable}. */
    private Path jsonArray(String name, int bad, int unreadable) {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 3 * 4096; i++) {
            records.add(i == bad ? "{\"prompt\": \"p\"}" : i == unreadable ? "{\"prompt\": oops}" : GOOD);
        }
        try {
            return Files.writeString(dir.resolve(name), "[\n" + String.join(",\n", records) + "\n]\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of good records but for {@code bad} from index {@code at} on (then more good records). */
    private void assertFirstFailure(ModelTokenizer tok, String message, int at, String... bad) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            lines.add(GOOD);
        }
        for (int i = 0; i < bad.length; i++) {
            lines.set(at + 100 * i, bad[i]);
        }
        Path f = jsonl(dir, "bad" + at + ".jsonl", lines.toArray(String[]::new));
        assertThatThrownBy(() -> DatasetLoader.load(f, tok, 64))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(f + message);
    }
}
