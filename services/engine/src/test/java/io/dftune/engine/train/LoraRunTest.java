package io.dftune.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.LoraAdapter;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.Bfloat16MatmulProbe;
import io.dftune.engine.nd.TorchCasts;
import io.dftune.engine.testing.TinyJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LoRA run end to end: PEFT output, exact resume, merging, and the frozen base. */
class LoraRunTest {
    private static final RunLauncher LAUNCHER = new RunLauncher(16);

    @TempDir
    Path dir;

    @BeforeEach
    void tinyModelAndData() {
        TinyJob.writeModelAndData(dir);
    }

    private FineTuneJobSpec spec(String output, String extra) {
        String yaml =
                """
                apiVersion: dftune.io/v1alpha1
                kind: FineTuneJob
                metadata: {name: lora}
                spec:
                  model: {path: model}
                  data: {train: train.jsonl, eval: eval.jsonl}
                  objective: {type: dft}
                  adapter: {type: lora, rank: 4, alpha: 8, dropout: 0.1}
                  training: {maxSteps: 6, batchSize: 4, microBatchSize: 2, maxLength: 64, learningRate: 1.0e-2,
                             gradientCheckpointing: true%s}
                  eval: {maxNewTokens: 4}

                  checkpoint: {everySteps: 2, keep: 2}
                  output: {path: %s}
                """
                        .formatted(extra, output);
        return FineTuneJobFiles.parse(yaml, dir).getSpec();
    }

    private RunResult run(FineTuneJobSpec spec, TrainingListener listener) {
        try (LaunchedRun run = LAUNCHER.prepare(spec)) {
            return run.run(listener);
        }
    }

    @Test
    void aStoppedAndResumedLoraRunEndsWithTheAdapterOfAnUninterruptedOne() throws IOException {
        RunResult whole = run(spec("whole", ""), TrainingListener.NONE);
        assertThat(whole.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        FineTuneJobSpec interrupted = spec("interrupted", "");
        try (LaunchedRun run = LAUNCHER.prepare(interrupted)) {
            RunResult stopped = run.run(new TrainingListener() {
                @Override
                public void onStep(StepMetrics metrics) {
                    if (metrics.step() == 3) {
                        run.requestStop(RunOutcome.PREEMPTED);
                    }
                }
            });
            assertThat(stopped.stepsDone()).isEqualTo(3);
        }
        Path checkpoint = dir.resolve("interrupted/checkpoints/step-3");
        assertThat(checkpoint.resolve(LoraAdapter.CONFIG_FILE)).isRegularFile();
        assertThat(checkpoint.resolve("model.safetensors"))
                .as("checkpoints hold the adapter only")
                .doesNotExist();
        assertThat(run(interrupted, TrainingListener.NONE).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        Map<String, float[]> a = tensors(dir.resolve("whole/final/adapter_model.safetensors"));
        Map<String, float[]> b = tensors(dir.resolve("interrupted/final/adapter_model.safetensors"));
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((name, values) -> assertThat(b.get(name)).as(name).containsExactly(values));
    }

    @Test
    void finalIsAPeftAdapterAndTheMergedModelComputesWhatBaseAndAdapterDo() throws IOException {
        FineTuneJobSpec spec = spec("merged", "");
        spec.getOutput().setMergeAdapter(true);
        assertThat(run(spec, TrainingListener.NONE).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        Path finalDir = dir.resolve("merged/final");
        JsonNode config = new ObjectMapper()
                .readTree(finalDir.resolve("adapter_config.json").toFile());
        assertThat(config.get("base_model_name_or_path").asText())
                .isEqualTo(dir.resolve("model").toString());
        assertThat(finalDir.resolve("tokenizer.json")).isRegularFile();
        assertThat(finalDir.resolve("merged/config.json")).isRegularFile();
        assertThat(finalDir.resolve("merged/tokenizer.json")).isRegularFile();

        try (NDManager root = NDManager.newBaseManager();
                CausalLm plainBase = ModelDirectory.load(dir.resolve("model"), root);
                CausalLm withAdapter = ModelDirectory.load(dir.resolve("model"), root);
                CausalLm merged = ModelDirectory.load(finalDir.resolve("merged"), root)) {
            withAdapter.attachAdapter(LoraAdapter.load(finalDir, withAdapter.config(), null, root));
            NDArray ids = root.create(new int[][] {{3, 9, 14, 20, 7, 11}});
            float[] expected = withAdapter.logits(withAdapter.hiddenStates(ids)).toFloatArray();
            float[] actual = merged.logits(merged.hiddenStates(ids)).toFloatArray();
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertThat(worst).as("max |logit difference|").isLessThan(1e-4);
            float[] base = plainBase.logits(plainBase.hiddenStates(ids)).toFloatArray();

            assertThat(base).as("the adapter changed the model").isNotEqualTo(expected);
        }
    }

    @Test
    void theBaseModelStaysAsItWas() throws IOException {
        Map<String, float[]> before = tensors(dir.resolve("model/model.safetensors"));
        assertThat(run(spec("frozen", ", precision: bf16"), TrainingListener.NONE)
                        .outcome())
                .isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(dir.resolve("frozen/final/model.safetensors")).doesNotExist();
        try (LaunchedRun run = LAUNCHER.prepare(spec("frozen", ", precision: bf16"))) {
            run.requestStop(RunOutcome.PREEMPTED);
            run.run(TrainingListener.NONE);
            CausalLm model = run.resources().model();
            assertThat(TorchCasts.isBfloat16(model.lmHeadWeight())).isTrue();
            assertThat(model.computesInBfloat16())
                    .as("matmuls in bfloat16 exactly where this CPU measured them faster")
                    .isEqualTo(Bfloat16MatmulProbe.measure(Device.cpu()).bfloat16Faster());
            for (NDArray p : model.parameters().values()) {
                assertThat(p.hasGradient()).isFalse();
            }
            assertThat(model.trainableParameters()).isNotEmpty().allSatisfy((name, p) -> assertThat(name)
                    .startsWith("base_model.model.")
                    .containsAnyOf("lora_A", "lora_B"));
        }
        assertThat(tensors(dir.resolve("model/model.safetensors"))).containsOnlyKeys(before.keySet());
    }

    private static Map<String, float[]> tensors(Path file) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, float[]> values = new java.util.LinkedHashMap<>();
            SafetensorsReader.read(file, manager).forEach((name, t) -> values.put(name, t.toFloatArray()));
            return values;
        }
    }
}
