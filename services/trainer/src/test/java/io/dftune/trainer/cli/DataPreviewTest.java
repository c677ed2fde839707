package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.RealChatTemplates;
import io.dftune.spec.run.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dftune data preview} with the real Qwen3 tokenizer and chat template. */
class DataPreviewTest {

    private static final String REASONING = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 17*3?\"},"
            + "{\"role\": \"assistant\", \"content\": \"51\", \"reasoning_content\": \"17*3 = 51.\"},"
            + "{\"role\": \"user\", \"content\": \"And 17*4?\"},"
            + "{\"role\": \"assistant\", \"content\": \"68\", \"reasoning_content\": \"17*4 = 68.\"}]}";
    private static final String PROMPT_RESPONSE = "{\"prompt\": \"Say hi.\", \"response\": \"Hi!\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Path qwen3 = RealChatTemplates.modelDirectory("qwen3");

    private CliRun preview(Path data, String... options) {
        List<String> args =
                new ArrayList<>(List.of("data", "preview", "--model", qwen3.toString(), "--data", data.toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private Path data(String... lines) throws IOException {
        return Files.writeString(dir.resolve("data.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void marksTrainedTokensWithPlainMarkersOffATerminal() throws IOException {
        CliRun run = preview(data(REASONING));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(run.out()).doesNotContain("\u001b[");
        String[] lines = run.out().split("\n", 2);
        assertThat(lines[0]).matches("── line 1 \\(messages\\): \\d+ tokens, \\d+ trained");
        assertThat(lines[1])
                .isEqualTo("<|im_start|>user\nWhat is 17*3?<|im_end|>\n<|im_start|>assistant\n⟦51<|im_end|>⟧\n"
                        + "<|im_start|>user\nAnd 17*4?<|im_end|>\n<|im_start|>assistant\n"
                        + "⟦<think>\n17*4 = 68.\n</think>\n\n68<|im_end|>⟧\n\n");
    }

    @Test
    void aJsonArrayWithItsOwnColumnNamesIsReadWithColumnOptions() throws IOException {
        Path array =
                Files.writeString(dir.resolve("data.json"), "[{\"problem\": \"What is 2+2?\", \"solution\": \"4\"}]");
        CliRun run = preview(array, "--column", "prompt=problem", "--column", "response=solution");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(run.out().lines().findFirst().orElseThrow())
                .matches("── record 0 \\(line 1\\) \\(prompt_response\\): \\d+ tokens, \\d+ trained");
        assertThat(run.out()).contains("What is 2+2?").contains("⟦4<|im_end|>⟧");
        CliRun unmapped = preview(array);
        assertThat(unmapped.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(unmapped.err()).contains(array + " record 0 (line 1): record has none of the keys");
    }

    @Test
    void jsonGivesTextIdsAndMaskPerRecord() throws IOException {
        CliRun run = preview(data(REASONING, REASONING, REASONING), "--records", "2", "--json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SUCCEEDED);
        List<String> lines = run.out().strip().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode record = JSON.readTree(lines.get(1));
        assertThat(record.get("position").asText()).isEqualTo("line 2");
        int[] ids = ints(record.get("input_ids"));
        int[] mask = ints(record.get("completion_mask"));
        assertThat(mask).hasSameSizeAs(ids);
        assertThat(record.get("tokens").asInt()).isEqualTo(ids.length);
        assertThat(record.get("truncated_tokens").asInt()).isZero();
        try (ModelTokenizer tok = ModelTokenizer.load(qwen3)) {
            assertThat(ids).containsExactly(tok.encode(record.get("text").asText()));
            List<Integer> trained = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (mask[i] == 1) {
                    trained.add(ids[i]);
                }
            }
            assertThat(record.get("trained_tokens").asInt()).isEqualTo(trained.size());
            assertThat(tok.decodeWithSpecialTokens(
                            trained.stream().mapToInt(Integer::intValue).toArray()))
                    .isEqualTo("51<|im_end|><think>\n17*4 = 68.\n</think>\n\n68<|im_end|>");
        }
    }

    @Test
    void showsTruncationAtMaxLengthAndColoursOnRequest() throws IOException {
        Path file = data(PROMPT_RESPONSE, PROMPT_RESPONSE.replace("hi", "hello"));
        CliRun run = preview(file, "--max-length", "12", "--color", "always");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(run.out())
                .contains("\u001b[1;32m")
                .contains("truncated at --max-length 12")
                .contains("[dropped:]");
        CliRun asJson = preview(file, "--max-length", "12", "--json");
        JsonNode second = JSON.readTree(asJson.out().strip().lines().toList().get(1));
        assertThat(second.get("input_ids").size()).isEqualTo(12);
        assertThat(second.get("truncated_tokens").asInt()).isPositive();
    }

    @Test
    void aBadRecordNamesFileAndLine() throws IOException {
        Path file = data(REASONING, "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}");
        CliRun run = preview(file);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains(file + " line 2: messages[0].content must be a string");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
