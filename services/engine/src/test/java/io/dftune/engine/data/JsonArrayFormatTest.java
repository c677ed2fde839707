package io.dftune.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonArrayFormatTest {
    private static final String A = "{\"problem\": \"1+1?\", \"solution\": \"2\"}";
    private static final DatasetOptions COLUMNS =
            new DatasetOptions(java.util.Map.of("prompt", "problem", "response", "solution"), 0);
    private static final String B = "{\"problem\": \"2+2?\", \"solution\": \"4\", \"answer\": 4}";

    @TempDir
    Path dir;

    @Test
    void anArrayOfRecordsTrainsAsTheSameRecordsOnePerLine() throws Exception {
        TokenizerFixtures.chatml(dir.resolve("model"));
        DatasetOptions columns = COLUMNS;
        Path array = dir.resolve("train.json");
        Files.writeString(array, "\uFEFF[\n  " + A + ",\n  " + B + "\n]\n");
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            LoadedDataset fromArray = DatasetLoader.load(array, tok, 128, columns);
            LoadedDataset fromLines =
                    DatasetLoader.load(DataTestSupport.jsonl(dir, "t.jsonl", A, B), tok, 128, columns);
            assertThat(fromArray.size()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                assertThat(fromArray.examples().get(i).inputIds())
                        .containsExactly(fromLines.examples().get(i).inputIds());
                assertThat(fromArray.examples().get(i).completionMask())
                        .containsExactly(fromLines.examples().get(i).completionMask());
            }
            assertThat(fromArray.examples().get(1).answer()).isEqualTo("4");
        }
    }

    @Test
    void errorsNameTheRecordItsLineAndTheColumn() throws Exception {
        TokenizerFixtures.plain(dir.resolve("model"));
        try (ModelTokenizer tok = ModelTokenizer.load(dir.resolve("model"))) {
            Path missing = dir.resolve("missing.json");
            Files.writeString(missing, "[\n" + A + ",\n{\"problem\": \"x\"}\n]");
            assertThatThrownBy(() -> DatasetLoader.load(missing, tok, 64, COLUMNS))
                    .isInstanceOf(DatasetException.class)
                    .hasMessage(missing + " record 1 (line 3): missing required key \"solution\"");
            Path notObject = dir.resolve("numbers.json");
            Files.writeString(notObject, "[1, 2]");
            assertThatThrownBy(() -> DatasetLoader.load(notObject, tok, 64))
                    .hasMessage(notObject + " record 0 (line 1): expected a JSON object, got a number (1)");
            Path broken = dir.resolve("broken.json");
            Files.writeString(broken, "[\n" + A + ",\n{\"problem\": }\n]");
            assertThatThrownBy(() -> DatasetLoader.load(broken, tok, 64, COLUMNS))
                    .hasMessageStartingWith(broken + " line 3 column 13: invalid JSON: Unexpected character ('}'");
            Path unclosed = dir.resolve("unclosed.json");
            Files.writeString(unclosed, "[" + A);
            assertThatThrownBy(() -> DatasetLoader.load(unclosed, tok, 64, COLUMNS))
                    .hasMessageStartingWith(unclosed + " line 1 column 38: invalid JSON: Unexpected end-of-input");
        }
    }
}
