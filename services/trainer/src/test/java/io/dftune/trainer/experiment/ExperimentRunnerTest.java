package io.dftune.trainer.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.testing.TinyJob;
import io.dftune.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole (tiny) experiment through the real engine: sweep, choice, seeds, tables, restart. */
class ExperimentRunnerTest {
    @TempDir
    Path dir;

    @Test
    void sweepsChoosesTheBestRatePerArmRunsEverySeedAndRestartsWithoutRetraining() throws IOException {
        TinyJob.writeModelAndData(dir);
        TinyJob.writeManifest(dir, "job.yaml", TinyJob.manifest("tiny-experiment", "output/template", 3, 0));
        Path file = Files.writeString(
                dir.resolve("experiment.yaml"),
                """
                job: job.yaml
                validation: eval.jsonl
                learningRates: [1.0e-3, 3.0e-2]
                seeds: [1, 2]
                arms:
                  - name: sft
                    objective: {type: sft}
                  - name: dft
                    objective: {type: dft}
                tests:
                  held-out: eval.jsonl
                  training-set: train.jsonl
                output: out
                """);
        ExperimentPlan plan = ExperimentPlan.load(file);
        List<String> started = new ArrayList<>();

        ExperimentResults results = new ExperimentRunner(plan, recording(started)).run();
        results.write();

        assertThat(started)
                .containsExactly(
                        "sft lr 0.001 seed 1",
                        "sft lr 0.03 seed 1",
                        "sft lr " + results.chosenRate("sft") + " seed 2",
                        "dft lr 0.001 seed 1",
                        "dft lr 0.03 seed 1",
                        "dft lr " + results.chosenRate("dft") + " seed 2");
        for (String arm : List.of("sft", "dft")) {
            List<RunScores> sweep = results.sweeps().get(arm);
            RunScores best = sweep.stream()
                    .max(Comparator.comparingDouble(
                                    (RunScores r) -> r.validation().exactMatch())
                            .thenComparing(r -> -r.validation().nll()))
                    .orElseThrow();
            assertThat(results.chosenRate(arm)).isEqualTo(best.key().learningRate());
            assertThat(results.runsOf(arm)).extracting(r -> r.key().seed()).containsExactly(1L, 2L);
            assertThat(results.runsOf(arm))
                    .allSatisfy(r -> assertThat(r.tests()).containsOnlyKeys("held-out", "training-set"));
            List<Double> nll = results.runsOf(arm).stream()
                    .map(r -> r.tests().get("held-out").nll())
                    .toList();
            assertThat(results.summary(arm, "held-out", Score::nll).mean())
                    .isCloseTo((nll.get(0) + nll.get(1)) / 2, org.assertj.core.data.Offset.offset(1e-12));
        }
        // The base model was scored as it is; fine-tuning at 3e-2 on the training set moves its NLL.
        assertThat(results.base().tests().get("training-set").nll())
                .isNotEqualTo(
                        results.runsOf("sft").get(0).tests().get("training-set").nll());

        Path out = dir.resolve("out");
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("| base model |")
                .contains("| sft | ")
                .contains("| dft | ")
                .contains("held-out")
                .contains("training-set");
        byte[] png = Files.readAllBytes(out.resolve("curves.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.get("arms")).hasSize(2);

        // A restart retrains nothing that finished; a run whose score is missing is trained again.
        started.clear();
        ExperimentResults again = new ExperimentRunner(plan, recording(started)).run();
        assertThat(started).isEmpty();
        assertThat(again.accuracyTable()).isEqualTo(results.accuracyTable());

        RunKey second = results.runsOf("dft").get(1).key();
        Files.delete(second.directory(out).resolve("validation.json"));
        Files.delete(second.directory(out).resolve("tests.json"));
        new ExperimentRunner(plan, recording(started)).run();
        assertThat(started).containsExactly(second.label());
    }

    @Test
    void summaryIsTheMeanAndSampleStandardDeviation() {
        ExperimentResults.Summary s = ExperimentResults.Summary.of(List.of(0.5, 0.7, 0.6));

        assertThat(s.mean()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.sd()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ExperimentResults.Summary.of(List.of(0.4)).sd()).isZero();
    }

    @Test
    void aTieInExactMatchGoesToTheLowerValidationNll() {
        List<RunScores> sweep = List.of(
                new RunScores(new RunKey("a", 1e-4, 1), new Score(0.5, 0.30, 0.8, 10), Map.of()),
                new RunScores(new RunKey("a", 3e-4, 1), new Score(0.5, 0.20, 0.8, 10), Map.of()),
                new RunScores(new RunKey("a", 1e-3, 1), new Score(0.4, 0.10, 0.8, 10), Map.of()));

        assertThat(RunSelection.bestRate(sweep)).isEqualTo(3e-4);
    }

    private static ExperimentRunner.Progress recording(List<String> started) {
        return new ExperimentRunner.Progress() {
            @Override
            public void message(String text) {}

            @Override
            public TrainingListener runStarting(RunKey key, int index, int total) {
                started.add(key.label());
                return new TrainingListener() {};
            }
        };
    }
}
