package io.dftune.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.spec.ObjectiveSpec;
import io.dftune.spec.ObjectiveType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of an experiment whose evaluation samples k > 1 completions: avg@k beside accuracy@1
 * in the tables, pass@k and maj@k in results.json, and avg@k choosing the learning rate; without
 * samples, exact match alone.
 */
class ExperimentResultsTest {
    private static final double LOW = 1e-4;
    private static final double HIGH = 1e-3;

    @TempDir
    Path dir;

    private ExperimentPlan plan() {
        return new ExperimentPlan(
                dir.resolve("experiment.yaml"),
                "exp",
                dir.resolve("job.yaml"),
                dir.resolve("validation.jsonl"),
                List.of(LOW, HIGH),
                List.of(1L, 2L),
                List.of(new ExperimentPlan.Arm("dft", new ObjectiveSpec(ObjectiveType.DFT), null)),
                Map.of("test", dir.resolve("test.jsonl")),
                dir.resolve("out"));
    }

    /** Greedy accuracy {@code greedy}; with {@code k} > 0, avg@k {@code avg}, pass@k and maj@k derived from it. */
    private static Score score(double greedy, int k, double avg) {
        return k == 0
                ? new Score(greedy, 1.0, 0.5, 8)
                : new Score(greedy, 1.0, 0.5, 8, k, avg, Math.min(1, avg + 0.25), avg + 0.125);
    }

    /**
     * At the low rate greedy accuracy is higher, at the high rate avg@k: which wins says which
     * metric chose. Seeds 1 and 2 at the high rate differ, so the table's mean and sd are checkable.
     */
    private ExperimentResults results(int k) {
        Map<RunKey, RunScores> runs = new LinkedHashMap<>();
        put(runs, new RunKey("dft", LOW, 1), score(0.75, k, 0.25));
        put(runs, new RunKey("dft", HIGH, 1), score(0.5, k, 0.375));
        put(runs, new RunKey("dft", HIGH, 2), score(0.25, k, 0.625));
        put(runs, new RunKey("dft", LOW, 2), score(0.625, k, 0.125));
        Score base = score(0.125, k, 0.0625);
        Map<RunKey, List<CurvePoint>> curves = new LinkedHashMap<>();
        runs.keySet().forEach(key -> curves.put(key, List.of(new CurvePoint(1, 2.0, 2.5, 0.25))));
        return ExperimentResults.assemble(
                plan(), new RunScores(new RunKey("base", 0, 0), base, Map.of("test", base)), runs, curves, List.of());
    }

    private static void put(Map<RunKey, RunScores> runs, RunKey key, Score score) {
        runs.put(key, new RunScores(key, score, Map.of("test", score)));
    }

    @Test
    void withSamplesTheTablesShowAvgAtKBesideAccuracyAt1AndAvgAtKChoosesTheRate() throws Exception {
        ExperimentResults results = results(4);

        assertThat(results.chosenRate("dft")).as("avg@4 chose").isEqualTo(HIGH);
        assertThat(results.selectionMetric()).isEqualTo("avg@4");
        assertThat(results.accuracyTable())
                .contains("| | learning rate | test accuracy@1 | test avg@4 |")
                .contains("| base model | | 12.5 | 6.3 |")
                // accuracy@1 0.5 and 0.25: mean 37.5, sd 17.7; avg@4 0.375 and 0.625: mean 50.0, sd 17.7
                .contains("| dft | 0.001 | 37.5 ± 17.7 | 50.0 ± 17.7 |");
        assertThat(results.sweepTable()).contains("| dft | 25.0 | 37.5 |");

        results.write();
        String md = Files.readString(dir.resolve("out/results.md"));
        assertThat(md)
                .contains("avg@4 the mean over 4 sampled answers per prompt")
                .contains(
                        "Validation avg@4 (%) of the learning-rate sweep (seed 1); the best chose each arm's learning rate")
                .contains("| dft | 0.001 | 37.5 ± 17.7 | 50.0 ± 17.7 |");
        JsonNode json =
                new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertThat(json.path("learningRateChosenBy").asText()).isEqualTo("validation avg@4");
        assertThat(json.path("k").asInt()).isEqualTo(4);
        JsonNode arm = json.path("arms").get(0);
        assertThat(arm.path("avgAtK").path("test").path("mean").asDouble()).isCloseTo(0.5, Offset.offset(1e-12));
        assertThat(arm.path("passAtK").path("test").path("mean").asDouble()).isCloseTo(0.75, Offset.offset(1e-12));
        assertThat(arm.path("majAtK").path("test").path("mean").asDouble()).isCloseTo(0.625, Offset.offset(1e-12));
        assertThat(arm.path("runs").get(0).path("validation").path("majAtK").asDouble())
                .isEqualTo(0.5);
    }

    @Test
    void withoutSamplesExactMatchAloneChoosesAndIsShown() throws Exception {
        ExperimentResults results = results(0);

        assertThat(results.chosenRate("dft")).as("exact match chose").isEqualTo(LOW);
        assertThat(results.accuracyTable())
                .contains("| | learning rate | test |")
                .doesNotContain("avg@");
        results.write();
        assertThat(Files.readString(dir.resolve("out/results.md")))
                .contains("Validation exact match (accuracy@1) (%) of the learning-rate sweep")
                .doesNotContain("avg@");
        JsonNode json =
                new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertThat(json.path("learningRateChosenBy").asText()).isEqualTo("validation exact match (accuracy@1)");
        assertThat(json.path("arms").get(0).has("avgAtK")).isFalse();
    }

    @Test
    void oneSampleIsNotEnoughToOutvoteTheGreedyAnswer() {
        assertThat(results(1).chosenRate("dft")).isEqualTo(LOW);
        assertThat(results(1).accuracyTable()).doesNotContain("avg@");
    }
}
