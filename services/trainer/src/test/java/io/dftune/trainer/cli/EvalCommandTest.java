package io.dftune.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dftune eval --samples K} on the bundled example model: the JSON line's sampling metrics
 * recomputed from the results file, and the samples reproducible and independent of which other
 * examples are evaluated with them.
 */
class EvalCommandTest {
    private static final Path EXAMPLE =
            Path.of("../../examples/arithmetic").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int K = 4;

    @TempDir
    Path dir;

    private CliRun eval(int examples, Path results, long seed) {
        List<String> args = new ArrayList<>(List.of(
                "eval",
                "--model",
                EXAMPLE.resolve("model").toString(),
                "--data",
                EXAMPLE.resolve("eval.jsonl").toString(),
                "--max-examples",
                String.valueOf(examples),
                "--max-new-tokens",
                "40",
                "--samples",
                String.valueOf(K),
                "--temperature",
                "1.0",
                "--seed",
                String.valueOf(seed),
                "--results",
                results.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void samplingMetricsAreWhatTheResultsFileHolds() throws IOException {
        Path results = dir.resolve("results.jsonl");
        JsonNode metrics = JSON.readTree(eval(8, results, 7).lastOutLine());

        List<JsonNode> lines = lines(results);
        assertThat(lines).hasSize(8);
        double correctSamples = 0;
        double anyCorrect = 0;
        double majorityCorrect = 0;
        double greedyCorrect = 0;
        for (JsonNode line : lines) {
            assertThat(line.get("prompt").asText()).isNotBlank();
            assertThat(line.get("completions")).hasSize(K);
            assertThat(line.get("extracted")).hasSize(K);
            assertThat(line.get("correct")).hasSize(K);
            Map<String, Integer> votes = new LinkedHashMap<>();
            boolean any = false;
            for (int j = 0; j < K; j++) {
                boolean correct = line.get("correct").get(j).asBoolean();
                String extracted = line.get("extracted").get(j).asText();
                assertThat(correct)
                        .isEqualTo(extracted.equals(line.get("answer").asText()));
                correctSamples += correct ? 1 : 0;
                any |= correct;
                votes.merge(extracted, 1, Integer::sum);
            }
            anyCorrect += any ? 1 : 0;
            int most = votes.values().stream().max(Integer::compare).orElseThrow();
            String winner = votes.entrySet().stream()
                    .filter(e -> e.getValue() == most)
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            majorityCorrect += winner.equals(line.get("answer").asText()) ? 1 : 0;
            greedyCorrect += line.get("greedy").get("correct").asBoolean() ? 1 : 0;
        }
        assertThat(metrics.get("k").asInt()).isEqualTo(K);
        assertThat(metrics.get("answered").asInt()).isEqualTo(8);
        assertThat(metrics.get("avg_at_k").asDouble()).isCloseTo(correctSamples / (8 * K), within(1e-12));
        assertThat(metrics.get("pass_at_k").asDouble()).isCloseTo(anyCorrect / 8, within(1e-12));
        assertThat(metrics.get("maj_at_k").asDouble()).isCloseTo(majorityCorrect / 8, within(1e-12));
        assertThat(metrics.get("exact_match").asDouble()).isCloseTo(greedyCorrect / 8, within(1e-12));
        assertThat(correctSamples).as("the example model solves some").isPositive();
        assertThat(lines.stream().map(l -> l.get("completions").toString()).distinct())
                .as("samples differ between examples")
                .hasSizeGreaterThan(1);
    }

    @Test
    void samplesAreReproducibleAndDoNotDependOnTheOtherExamples() throws IOException {
        Path all = dir.resolve("all.jsonl");
        Path again = dir.resolve("again.jsonl");
        Path fewer = dir.resolve("fewer.jsonl");
        eval(8, all, 7);
        eval(8, again, 7);
        eval(3, fewer, 7);

        assertThat(Files.readString(again)).isEqualTo(Files.readString(all));
        assertThat(lines(fewer)).containsExactlyElementsOf(lines(all).subList(0, 3));

        Path otherSeed = dir.resolve("other-seed.jsonl");
        eval(3, otherSeed, 8);
        assertThat(lines(otherSeed)).isNotEqualTo(lines(fewer));
    }

    @Test
    void aBadSamplingOptionNamesTheOption() {
        CliRun run = CliRun.of("eval", "--model", "m", "--data", "d.jsonl", "--samples", "2", "--temperature", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--temperature must be > 0 (got 0)");

        run = CliRun.of("eval", "--model", "m", "--data", "d.jsonl", "--extract", "boxes");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--extract must be one of marker, boxed, regex (got boxes)");
    }
}
