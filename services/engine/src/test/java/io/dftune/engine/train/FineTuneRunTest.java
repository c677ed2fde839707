package io.dftune.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.testing.TinyJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop end to end on a tiny model: resume, checkpoints, metrics, failure handling. */
class FineTuneRunTest {

    @TempDir
    Path dir;

    @BeforeEach
    void tinyModelAndData() {
        TinyJob.writeModelAndData(dir);
    }

    private FineTuneJobSpec spec(String output, String objective, double learningRate, int microBatchSize) {
        String yaml =
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: t}
                spec:
                  model: {path: model}
                  data: {train: train.jsonl, eval: eval.jsonl}
                  objective: {type: %s}
                  training: {maxSteps: 6, batchSize: 4, microBatchSize: %d, maxLength: 64, learningRate: %s,
                             evalEverySteps: 3}
                  eval: {maxNewTokens: 4}
                  checkpoint: {everySteps: 2, keep: 2}
                  output: {path: %s, dtype: bfloat16}
                """
                        .formatted(objective, microBatchSize, learningRate, output);
        return FineTuneJobFiles.parse(yaml, dir).getSpec();
    }

    private static final RunLauncher LAUNCHER = new RunLauncher(16);

    private RunResult run(FineTuneJobSpec spec, TrainingListener listener) {
        try (LaunchedRun run = LAUNCHER.prepare(spec)) {
            return run.run(listener);
        }
    }

    /** A run stopped before it starts: it loads what a run would, trains nothing, and keeps it open. */
    private static LaunchedRun loadedOnly(FineTuneJobSpec spec) {
        LaunchedRun run = LAUNCHER.prepare(spec);
        run.requestStop(RunOutcome.PREEMPTED);
        run.run(TrainingListener.NONE);
        return run;
    }

    @Test
    void stoppedAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
        RunResult whole = run(spec("whole", "dft", 1e-2, 2), TrainingListener.NONE);
        assertThat(whole.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        FineTuneJobSpec interrupted = spec("interrupted", "dft", 1e-2, 2);
        RunResult stopped;
        try (LaunchedRun run = LAUNCHER.prepare(interrupted)) {
            stopped = run.run(new TrainingListener() {
                @Override
                public void onStep(StepMetrics metrics) {
                    if (metrics.step() == 3) {
                        run.requestStop(RunOutcome.PREEMPTED);
                    }
                }
            });
        }
        assertThat(stopped.outcome()).isEqualTo(RunOutcome.PREEMPTED);
        assertThat(stopped.stepsDone()).isEqualTo(3);
        assertThat(dir.resolve("interrupted/final")).doesNotExist();
        assertThat(dir.resolve("interrupted/checkpoints/step-3")).isDirectory();

        long[] resumedFrom = {-1};
        RunResult resumed = run(interrupted, recordStart(resumedFrom));
        assertThat(resumedFrom[0]).isEqualTo(3);
        assertThat(resumed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertSameWeights(dir.resolve("whole/final"), dir.resolve("interrupted/final"));

        List<String> steps = Files.readAllLines(dir.resolve("interrupted/metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"train\""))
                .toList();
        assertThat(steps).hasSize(6);
        assertThat(Files.readAllLines(dir.resolve("whole/metrics.jsonl")))
                .anyMatch(
                        l -> l.contains("\"type\":\"eval\"") && l.contains("\"step\":0") && l.contains("exact_match"));
        // keep: 2 of the checkpoints at steps 2, 4, 6
        assertThat(dir.resolve("whole/checkpoints/step-2")).doesNotExist();
        assertThat(dir.resolve("whole/checkpoints/step-6")).isDirectory();
    }

    @Test
    void runsOnAThreadOtherThanTheOneThatStartedTheEngine() throws Exception {
        FineTuneJobSpec spec = spec("elsewhere", "dft", 1e-2, 4);
        RunResult[] result = new RunResult[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                result[0] = run(spec, TrainingListener.NONE);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        worker.start();
        worker.join();
        assertThat(failure[0]).isNull();
        assertThat(result[0].outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    @Test
    void aTornNewestCheckpointIsSkippedForTheNewestGoodOne() throws IOException {
        FineTuneJobSpec spec = spec("torn", "sft", 1e-2, 4);
        run(spec, TrainingListener.NONE);
        Path newest = dir.resolve("torn/checkpoints/step-6");
        Files.write(newest.resolve("model.safetensors"), new byte[] {1, 2, 3});
        Files.createDirectories(dir.resolve("torn/checkpoints/.step-8.tmp"));
        AtomicDirectory.deleteRecursively(dir.resolve("torn/final"));

        Files.createDirectories(dir.resolve("torn/.final.tmp"));
        Files.writeString(dir.resolve("torn/.final.tmp/model.safetensors"), "half");

        long[] resumedFrom = {-1};
        RunResult result = run(spec, recordStart(resumedFrom));
        assertThat(resumedFrom[0]).isEqualTo(4);
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(dir.resolve("torn/checkpoints/.step-8.tmp"))
                .as("a crashed run's half-written checkpoint is removed at start")
                .doesNotExist();
        assertThat(dir.resolve("torn/.final.tmp")).doesNotExist();
    }

    @Test
    void aCheckpointWithTruncatedOptimizerStateIsSkipped() throws IOException {
        FineTuneJobSpec spec = spec("truncated", "sft", 1e-2, 4);
        run(spec, TrainingListener.NONE);
        Path optimizer = dir.resolve("truncated/checkpoints/step-6/optimizer.safetensors");
        byte[] bytes = Files.readAllBytes(optimizer);
        Files.write(optimizer, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        AtomicDirectory.deleteRecursively(dir.resolve("truncated/final"));

        long[] resumedFrom = {-1};
        assertThat(run(spec, recordStart(resumedFrom)).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(resumedFrom[0]).isEqualTo(4);
    }

    @Test
    void nonFiniteLossStopsWithAClearMessageAndKeepsTheCheckpoint() throws IOException {
        Path model = dir.resolve("model");
        try (NDManager root = NDManager.newBaseManager();
                CausalLm lm = ModelDirectory.load(model, root)) {
            NDArray norm = lm.parameters().get("model.norm.weight");
            float[] poisoned = norm.toFloatArray();
            poisoned[0] = Float.NaN;
            norm.set(poisoned);
            ModelDirectory.save(lm, model, model);
        }
        FineTuneJobSpec spec = spec("nan", "sft", 1e-2, 4);
        assertThatThrownBy(() -> run(spec, TrainingListener.NONE))
                .isInstanceOf(NonFiniteLossException.class)
                .hasMessageContaining("learningRate");
        assertThat(dir.resolve("nan/final")).doesNotExist();
    }

    @Test
    void aPackedRunTakesTheSameStepsAndEndsAtTheWeightsOfAnUnpackedOne() throws IOException {
        FineTuneJobSpec unpacked = spec("unpacked", "dft", 1e-2, 2);
        FineTuneJobSpec packed = spec("packed", "dft", 1e-2, 1);
        packed.getTraining().setPacking(true);
        assertThat(run(unpacked, TrainingListener.NONE).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run(packed, TrainingListener.NONE).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        List<JsonNode> a = trainLines("unpacked");
        List<JsonNode> b = trainLines("packed");
        assertThat(b).hasSameSizeAs(a).hasSize(6);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).get("response_tokens").asLong())
                    .isEqualTo(a.get(i).get("response_tokens").asLong());
            assertThat(b.get(i).get("loss").asDouble())
                    .isCloseTo(a.get(i).get("loss").asDouble(), within(1e-6));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Path last = Path.of("checkpoints/step-6/model.safetensors");
            Map<String, NDArray> left =
                    SafetensorsReader.read(dir.resolve("unpacked").resolve(last), manager);
            Map<String, NDArray> right =
                    SafetensorsReader.read(dir.resolve("packed").resolve(last), manager);
            Map<String, NDArray> start = SafetensorsReader.read(dir.resolve("model/model.safetensors"), manager);
            double moved = 0;
            double apart = 0;
            for (String name : left.keySet()) {
                float[] l = left.get(name).toFloatArray();
                float[] r = right.get(name).toFloatArray();
                float[] s = start.get(name)
                        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .toFloatArray();
                for (int i = 0; i < l.length; i++) {
                    moved = Math.max(moved, Math.abs(l[i] - s[i]));
                    apart = Math.max(apart, Math.abs(l[i] - r[i]));
                }
            }
            // Six steps of AdamW at 1e-2 move weights by about 6e-2; the two runs agree to float error.
            assertThat(moved).isGreaterThan(1e-2);
            assertThat(apart).isLessThan(1e-5);
        }
    }

    @Test
    void probQWithQOneTrainsWithLossOneMinusMeanProbability() throws IOException {
        RunResult result = run(spec("probq", "prob-q, q: 1.0", 1e-2, 2), TrainingListener.NONE);
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        List<JsonNode> steps = trainLines("probq");
        assertThat(steps).hasSize(6);
        for (JsonNode step : steps) {
            assertThat(step.get("loss").asDouble())
                    .isCloseTo(1 - step.get("mean_target_prob").asDouble(), within(1e-5));
        }
    }

    @Test
    void dftPowerRampStartsAsSftAndReachesDftAfterWarmup() throws IOException {
        // warmupRatio 0.25 of 6 steps: beta is 0 at step 1, 2/3 at step 2 and 1 from step 3 on.
        FineTuneJobSpec spec = spec("power", "dft-power, beta: 1.0, betaRamp: true", 1e-2, 2);
        spec.getTraining().setWarmupRatio(0.25);
        RunResult result = run(spec, TrainingListener.NONE);
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        List<JsonNode> steps = trainLines("power");
        assertThat(steps).hasSize(6);
        assertThat(steps.get(0).get("loss").asDouble())
                .isCloseTo(steps.get(0).get("nll").asDouble(), within(1e-5));
        for (JsonNode step : steps.subList(1, 6)) {
            assertThat(step.get("loss").asDouble()).isLessThan(step.get("nll").asDouble() - 1e-3);
        }
    }

    @Test
    void asftTrainsAnchoredToTheStartModelAlsoAfterResuming() throws IOException {
        FineTuneJobSpec spec = spec("asft", "asft, klWeight: 0.1", 1e-2, 2);
        RunResult result = run(spec, TrainingListener.NONE);
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(trainLines("asft"))
                .hasSize(6)
                .allSatisfy(step ->
                        assertThat(step.get("loss").asDouble()).isFinite().isPositive());

        try (LaunchedRun run = loadedOnly(spec);
                NDManager files = NDManager.newBaseManager()) {
            TrainingResources resources = run.resources();
            assertThat(resources.resumedFrom()).isPresent();
            Map<String, NDArray> start = SafetensorsReader.read(dir.resolve("model"), files);
            CausalLm reference = resources.reference().orElseThrow();
            String name = "model.layers.0.mlp.up_proj.weight";
            for (Map.Entry<String, NDArray> p : reference.parameters().entrySet()) {
                assertThat(p.getValue().hasGradient()).as(p.getKey()).isFalse();
                assertThat(p.getValue().toFloatArray())
                        .as(p.getKey())
                        .containsExactly(start.get(p.getKey()).toFloatArray());
            }
            assertThat(resources.model().parameters().get(name).toFloatArray())
                    .isNotEqualTo(start.get(name).toFloatArray());
        }
    }

    @Test
    void onlyAsftLoadsAReferenceModel() {
        try (LaunchedRun dft = loadedOnly(spec("plain", "dft", 1e-2, 2));
                LaunchedRun asft = loadedOnly(spec("anchored", "asft, klWeight: 0.1", 1e-2, 2))) {
            assertThat(dft.resources().reference()).isEmpty();
            assertThat(asft.resources().reference()).isPresent();
        }
    }

    @Test
    void aStopDuringLoadingEndsTheRunWithNothingTrainedAndTheNextRunStartsFresh() throws IOException {
        FineTuneJobSpec spec = spec("early", "dft", 1e-2, 2);
        RunResult stopped;
        try (LaunchedRun run = loadedOnly(spec)) {
            stopped = run.run(TrainingListener.NONE);
        } catch (IllegalStateException ranTwice) {
            stopped = null;
        }
        assertThat(stopped).as("a run runs once").isNull();
        try (LaunchedRun run = LAUNCHER.prepare(spec)) {
            boolean[] started = {false};
            run.requestStop(RunOutcome.CANCELLED);
            RunResult result = run.run(new TrainingListener() {
                @Override
                public void onStart(TrainingPlan plan, long resumedFromStep) {
                    started[0] = true;
                }
            });
            assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
            assertThat(result.stepsDone()).isZero();
            assertThat(result.totalSteps()).isEqualTo(6);
            assertThat(started[0]).as("no training started").isFalse();
        }
        assertThat(dir.resolve("early/checkpoints")).doesNotExist();
        long[] resumedFrom = {-1};
        assertThat(run(spec, recordStart(resumedFrom)).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(resumedFrom[0]).isZero();
    }

    private List<JsonNode> trainLines(String output) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(output).resolve("metrics.jsonl"))) {
            JsonNode node = json.readTree(line);
            if (node.get("type").asText().equals("train")) {
                lines.add(node);
            }
        }
        return lines;
    }

    private static TrainingListener recordStart(long[] resumedFrom) {
        return new TrainingListener() {
            @Override
            public void onStart(TrainingPlan plan, long step) {
                resumedFrom[0] = step;
            }
        };
    }

    private static void assertSameWeights(Path a, Path b) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> left = SafetensorsReader.read(a, manager);
            Map<String, NDArray> right = SafetensorsReader.read(b, manager);
            assertThat(right.keySet()).isEqualTo(left.keySet());
            for (String name : left.keySet()) {
                assertThat(right.get(name).toFloatArray())
                        .as(name)
                        .containsExactly(left.get(name).toFloatArray());
            }
        }
    }
}
