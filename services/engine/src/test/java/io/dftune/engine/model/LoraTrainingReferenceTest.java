package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.io.SafetensorsReader;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.SftObjective;
import io.dftune.engine.optim.AdamW;
import io.dftune.engine.optim.AdamWSettings;
import io.dftune.engine.testing.PythonReference;
import io.dftune.engine.train.GradientStep;
import io.dftune.spec.AdapterSpec;
import io.dftune.spec.AdapterType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two optimizer steps of an existing LoRA adapter (A and B both non-zero, so both get gradients)
 * against the independent reference: PEFT's LoRA written in torch, float64, torch.optim.AdamW.
 */
class LoraTrainingReferenceTest {
    private static final double LR = 1e-2;
    private static final AdamWSettings ADAMW = new AdamWSettings(0.9, 0.95, 1e-8, 0.01);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"llama,sft", "qwen2,dft"})
    void twoStepsMatchTheReference(String arch, String objectiveName) throws Exception {
        Path model = dir.resolve("model");
        PythonReference.makeRandom(arch, model, 21, "f32", false, 1, false);
        AdapterSpec spec = new AdapterSpec();
        spec.setType(AdapterType.LORA);
        spec.setRank(4);
        spec.setAlpha(8);
        spec.setDropout(0);
        Path adapterDir = dir.resolve("adapter");
        java.nio.file.Files.createDirectories(adapterDir);
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig config = ModelConfig.read(model);
            try (LoraAdapter adapter = LoraAdapter.initialize(config, spec, m, 4)) {
                for (NDArray t : adapter.parameters().values()) {
                    t.addi(m.randomNormal(t.getShape()).muli(0.1f));
                }
                adapter.save(adapterDir, model.toString());
            }
        }
        List<TrainingExample> examples = CausalLmReferenceTest.randomExamples(new Random(8), 97);
        Path trained = dir.resolve("trained.safetensors");
        JsonNode expected = PythonReference.loraTrain(
                model,
                adapterDir,
                examples.stream()
                        .map(e -> new PythonReference.Example(e.inputIds(), e.completionMask()))
                        .toList(),
                new PythonReference.LoraSteps(objectiveName, LR, 0.9, 0.95, 1e-8, 0.01, 1.0, 2),
                trained);

        Objective objective = objectiveName.equals("dft") ? new DftObjective() : new SftObjective();
        try (NDManager root = NDManager.newBaseManager();
                CausalLm lm = ModelDirectory.load(model, root)) {
            lm.attachAdapter(LoraAdapter.load(adapterDir, lm.config(), spec, root));
            lm.setTrainable(true);
            Map<String, float[]> initial = new java.util.HashMap<>();
            lm.trainableParameters().forEach((name, p) -> initial.put(name, p.toFloatArray()));
            AdamW optimizer = new AdamW(lm.trainableParameters(), root.newSubManager(), ADAMW);
            GradientStep step = new GradientStep(lm, null, new ResponseLoss(5), objective, 1.0);
            for (int s = 0; s < 2; s++) {
                GradientStep.Result result = step.compute(List.of(Batch.of(examples, 0)), 0);
                JsonNode reference = expected.get("steps").get(s);
                assertThat(result.stats().objectiveLoss())
                        .as("loss at step %d", s + 1)
                        .isCloseTo(reference.get("loss").asDouble(), within(2e-5));
                assertThat(result.stats().nll()).isCloseTo(reference.get("nll").asDouble(), within(2e-5));
                assertThat(result.gradNorm())
                        .as("gradient norm at step %d", s + 1)
                        .isCloseTo(
                                reference.get("grad_norm").asDouble(),
                                within(2e-5 * reference.get("grad_norm").asDouble()));
                JniUtils.setGradMode(false);
                optimizer.step(LR);
            }
            try (NDManager files = NDManager.newBaseManager()) {
                Map<String, NDArray> want = SafetensorsReader.read(trained, files);
                Map<String, NDArray> got = lm.trainableParameters();
                assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
                // The whole update against the reference's: AdamW divides by the root of the second
                // moment, so an element whose gradient is near epsilon moves by float rounding alone,
                // while a wrong scale, moment or decay moves the whole update.
                double differenceSquared = 0;
                double updateSquared = 0;
                for (String name : want.keySet()) {
                    float[] a = got.get(name).toFloatArray();
                    float[] b = want.get(name).toFloatArray();
                    float[] start = initial.get(name);
                    for (int i = 0; i < a.length; i++) {
                        differenceSquared += Math.pow(a[i] - b[i], 2);
                        updateSquared += Math.pow(b[i] - start[i], 2);
                    }
                }
                assertThat(updateSquared).as("the reference moved the adapter").isPositive();
                assertThat(Math.sqrt(differenceSquared / updateSquared))
                        .as("difference of the trained A and B relative to the update")
                        .isLessThan(1e-3);
            }
        }
    }
}
