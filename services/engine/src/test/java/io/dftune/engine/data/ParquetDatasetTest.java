package io.dftune.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.RealChatTemplates;
import io.dftune.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files written by an independent implementation read as the JSON of the same rows. */
class ParquetDatasetTest {
    private static final Map<String, String> NUMINA = Map.of("prompt", "problem", "response", "solution");
    private static final Map<String, String> ALPACA =
            Map.of("prompt", "instruction", "query", "input", "response", "output");

    @TempDir
    static Path dir;

    private static Path fixtures;
    private static ModelTokenizer tok;

    @BeforeAll
    static void write() throws Exception {
        fixtures = ParquetFixtures.write(dir.resolve("fixtures"));
        TokenizerFixtures.chatml(dir.resolve("model"));
        tok = ModelTokenizer.load(dir.resolve("model"));
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void rowsEqualTheJsonOfTheSameRowsNestedListsOfStructsAndNullsIncluded() throws Exception {
        for (String name : List.of("numina", "sharegpt")) {
            List<String> lines = Files.readAllLines(fixtures.resolve(name + ".jsonl"));
            List<SourceRecord> rows = readAll(fixtures.resolve(name + ".parquet"), null);
            assertThat(rows).hasSize(lines.size());
            for (int i = 0; i < rows.size(); i++) {
                JsonNode expected = JsonRecords.parseObject(lines.get(i));
                JsonNode actual = rows.get(i).fields().get();
                assertThat(actual.equals(ParquetDatasetTest::sameValue, expected))
                        .as("%s row %d: %s vs %s", name, i, actual, expected)
                        .isTrue();
                assertThat(rows.get(i).position()).isEqualTo("row " + i);
            }
        }
    }

    @Test
    void onlyTheColumnsTheRecordsNeedAreDecoded() {
        List<SourceRecord> rows = readAll(fixtures.resolve("numina.parquet"), new ColumnMap(NUMINA).wanted());
        List<String> columns = new ArrayList<>();
        rows.get(0).fields().get().fieldNames().forEachRemaining(columns::add);
        assertThat(columns).containsExactly("problem", "solution", "answer");
    }

    @Test
    void aParquetFileTrainsExactlyAsTheJsonlOfItsRowsInEitherLayout() {
        DatasetOptions mapped = new DatasetOptions(NUMINA, 0);
        LoadedDataset parquet = DatasetLoader.load(fixtures.resolve("numina.parquet"), tok, 512, mapped);
        assertThat(parquet.format()).isEqualTo(DataFormat.PROMPT_RESPONSE);
        assertSameExamples(parquet, DatasetLoader.load(fixtures.resolve("numina.jsonl"), tok, 512, mapped));
        assertThat(parquet.examples().get(2).prompt()).startsWith("Problem 2: what is 2 + 4?");
        assertThat(parquet.examples().get(2).answer()).isEqualTo("6");
        assertThat(parquet.examples().get(3).answer()).isNull();

        LoadedDataset messages = DatasetLoader.load(fixtures.resolve("numina.parquet"), tok, 512);
        assertThat(messages.format()).isEqualTo(DataFormat.MESSAGES);
        assertSameExamples(messages, DatasetLoader.load(fixtures.resolve("numina.jsonl"), tok, 512));
        // The same text through the chat template either way (the whole conversation adds the newline the
        // template writes after the last turn).
        for (int i = 0; i < parquet.size(); i++) {
            assertThat(messages.examples().get(i).inputIds())
                    .startsWith(parquet.examples().get(i).inputIds());
        }
    }

    @Test
    void shareGptTurnsTrainAsTheSameConversationInMessagesWithToolCalls() throws Exception {
        ModelTokenizer qwen = RealChatTemplates.tokenizer("qwen2_5");
        String tools = Files.readAllLines(fixtures.resolve("sharegpt.jsonl")).get(0);
        String toolDefs = JsonRecords.parseObject(tools).get("tools").asText();
        Path messages = DataTestSupport.jsonl(
                dir,
                "openai.jsonl",
                "{\"tools\": " + toolDefs + ", \"messages\": ["
                        + "{\"role\": \"system\", \"content\": \"You are a calculator.\"},"
                        + "{\"role\": \"user\", \"content\": \"What is 2 + 3?\"},"
                        + "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"type\": \"function\","
                        + " \"function\": {\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}}]},"
                        + "{\"role\": \"tool\", \"content\": \"5\"},"
                        + "{\"role\": \"assistant\", \"content\": \"It is 5.\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
                        + "{\"role\": \"assistant\", \"content\": \"Hello!\"},"
                        + "{\"role\": \"user\", \"content\": \"Bye\"},"
                        + "{\"role\": \"assistant\", \"content\": \"Goodbye.\"}]}");
        LoadedDataset shareGpt = DatasetLoader.load(fixtures.resolve("sharegpt.parquet"), qwen, 1024);
        assertSameExamples(shareGpt, DatasetLoader.load(messages, qwen, 1024));
        String trained = trainedText(qwen, shareGpt.examples().get(0));
        assertThat(trained).contains("\"name\": \"add\"").contains("It is 5.").doesNotContain("calculator");
        assertThat(qwen.decodeWithSpecialTokens(shareGpt.examples().get(0).inputIds()))
                .contains("You are a calculator.")
                .contains("<tools>");
    }

    @Test
    void aFolderOfShardsAndAGlobReadTheShardsInNameOrderAndMaxRecordsTakesTheFirstRows() {
        DatasetOptions options = new DatasetOptions(ALPACA, 0);
        LoadedDataset all = DatasetLoader.load(fixtures.resolve("alpaca-all.jsonl"), tok, 256, options);
        assertThat(all.size()).isEqualTo(5);
        assertSameExamples(DatasetLoader.load(fixtures.resolve("alpaca"), tok, 256, options), all);
        assertSameExamples(
                DatasetLoader.load(fixtures.resolve("alpaca/train-*-of-00002.parquet"), tok, 256, options), all);
        // The query follows the prompt on a new line when it is not empty.
        assertThat(all.examples().get(1).prompt()).isEqualTo("Repeat the word 1.\nword-1");
        assertThat(all.examples().get(0).prompt()).isEqualTo("Repeat the word 0.");

        LoadedDataset first4 = DatasetLoader.load(fixtures.resolve("alpaca"), tok, 256, new DatasetOptions(ALPACA, 4));
        assertThat(first4.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(first4.examples().get(i).inputIds())
                    .containsExactly(all.examples().get(i).inputIds());
        }
    }

    @Test
    void recordErrorsNameTheFileTheRowAndTheColumn() {
        Path numina = fixtures.resolve("numina.parquet");
        assertThatThrownBy(() -> DatasetLoader.load(
                        numina, tok, 256, new DatasetOptions(Map.of("prompt", "question", "response", "solution"), 0)))
                .isInstanceOf(DatasetException.class)
                .hasMessage(numina + " row 0: missing required key \"question\"");
        assertThatThrownBy(() -> DatasetLoader.load(
                        numina, tok, 256, new DatasetOptions(Map.of("prompt", "answer", "response", "solution"), 0)))
                .hasMessage(numina + " row 0: \"answer\" must be a string, got a number (0)");
        assertThatThrownBy(() -> DatasetLoader.load(
                        fixtures.resolve("alpaca"), tok, 256, new DatasetOptions(Map.of("messages", "output"), 0)))
                .hasMessage(fixtures.resolve("alpaca/train-00000-of-00002.parquet")
                        + " row 0: \"output\" must be a non-empty array, got a string (\"word-0\")");
    }

    @Test
    void contentThatIsNotWhatTheNameSaysIsRefusedNamingTheFile() throws Exception {
        Path jsonlNamedParquet = dir.resolve("really-jsonl.parquet");
        Files.copy(fixtures.resolve("numina.jsonl"), jsonlNamedParquet);
        assertThatThrownBy(() -> DatasetLoader.load(jsonlNamedParquet, tok, 256))
                .isInstanceOf(DatasetException.class)
                .hasMessage(jsonlNamedParquet + " is named .parquet but holds JSON objects (JSON Lines or a single "
                        + "object), not a Parquet file (it does not start with PAR1); name it .jsonl if that is "
                        + "what it holds");
        Path parquetNamedJsonl = dir.resolve("really-parquet.jsonl");
        Files.copy(fixtures.resolve("numina.parquet"), parquetNamedJsonl);
        assertThatThrownBy(() -> DatasetLoader.load(parquetNamedJsonl, tok, 256))
                .hasMessage(parquetNamedJsonl + " is named .jsonl but holds a Parquet file, not one JSON object per "
                        + "line; name it .parquet if that is what it holds");
        Path jsonlNamedJson = dir.resolve("lines.json");
        Files.copy(fixtures.resolve("numina.jsonl"), jsonlNamedJson);
        assertThatThrownBy(() -> DatasetLoader.load(jsonlNamedJson, tok, 256))
                .hasMessageStartingWith(jsonlNamedJson + " is named .json but holds JSON objects");
        Path text = dir.resolve("train.txt");
        Files.writeString(text, "{}\n");
        assertThatThrownBy(() -> DatasetLoader.load(text, tok, 256))
                .hasMessage(text + ": unknown dataset file type; name it .jsonl, .json or .parquet");
        assertThatThrownBy(() -> DatasetLoader.load(dir.resolve("nothing-*.parquet"), tok, 256))
                .hasMessage("no dataset file matches " + dir.resolve("nothing-*.parquet"));
    }

    @Test
    void aTruncatedParquetFileIsAnErrorNamingIt() throws Exception {
        byte[] whole = Files.readAllBytes(fixtures.resolve("numina.parquet"));
        Path cut = dir.resolve("cut.parquet");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> DatasetLoader.load(cut, tok, 256))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("cannot read Parquet file " + cut + ": ");
    }

    private static List<SourceRecord> readAll(Path file, Set<String> columns) {
        List<SourceRecord> out = new ArrayList<>();
        try (RecordSource source = new ParquetRecords(file, columns)) {
            SourceRecord r;
            while ((r = source.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** JSON equality where numbers compare by value (Parquet's int64 and JSON's small integers). */
    private static int sameValue(JsonNode a, JsonNode b) {
        if (a instanceof NumericNode && b instanceof NumericNode) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    private static void assertSameExamples(LoadedDataset actual, LoadedDataset expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < actual.size(); i++) {
            TrainingExample a = actual.examples().get(i);
            TrainingExample e = expected.examples().get(i);
            assertThat(a.inputIds()).as("example %d ids", i).containsExactly(e.inputIds());
            assertThat(a.completionMask()).as("example %d mask", i).containsExactly(e.completionMask());
            assertThat(a.prompt()).isEqualTo(e.prompt());
            assertThat(a.answer()).isEqualTo(e.answer());
        }
    }

    private static String trainedText(ModelTokenizer tok, TrainingExample ex) {
        List<Integer> ids = new ArrayList<>();
        for (int t = 0; t < ex.length(); t++) {
            if (ex.completionMask()[t] == 1) {
                ids.add(ex.inputIds()[t]);
            }
        }
        return tok.decodeWithSpecialTokens(
                ids.stream().mapToInt(Integer::intValue).toArray());
    }
}
