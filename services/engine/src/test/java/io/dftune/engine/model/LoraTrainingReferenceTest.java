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
                Random draws = new Random(5);
                for (NDArray t : adapter.parameters().values()) {
                    float[] noise = new float[Math.toIntExact(t.size())];
                    for (int i = 0; i < noise.length; i++) {
                        noise[i] = (float) (0.1 * draws.nextGaussian());
                    }
                    t.addi(m.create(noise, t.getShape()));
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
            JsonNode first = expected.get("steps").get(0);
            JsonNode second = expected.get("steps").get(1);
            // The first step is float32 arithmetic against float64: rounding only.
            GradientStep.Result firstResult = step.compute(List.of(Batch.of(examples, 0)), 0);
            assertClose("first step's loss", firstResult.stats().objectiveLoss(), first, "loss", 2e-5);
            assertClose("first step's NLL", firstResult.stats().nll(), first, "nll", 2e-5);
            assertClose(
                    "first step's gradient norm",
                    firstResult.gradNorm(),
                    first,
                    "grad_norm",
                    2e-5 * first.get("grad_norm").asDouble());
            JniUtils.setGradMode(false);
            optimizer.step(LR);
            // The second step starts from AdamW's first update, lr * g / (|g| + eps) per element,
            // which moves an element whose gradient is within rounding of zero by rounding alone
            // (up to lr). So each second-step value is held to a thousandth of how far the
            // reference's own value moved: a wrong scale, moment or decay is off by far more.
            GradientStep.Result secondResult = step.compute(List.of(Batch.of(examples, 0)), 0);
            assertClose(
                    "second step's loss",
                    secondResult.stats().objectiveLoss(),
                    second,
                    "loss",
                    1e-3 * moved(first, second, "loss"));
            assertClose(
                    "second step's NLL", secondResult.stats().nll(), second, "nll", 1e-3 * moved(first, second, "nll"));
            assertClose(
                    "second step's gradient norm",
                    secondResult.gradNorm(),
                    second,
                    "grad_norm",
                    1e-3 * second.get("grad_norm").asDouble());
            JniUtils.setGradMode(false);
            optimizer.step(LR);
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

    private static double moved(JsonNode first, JsonNode second, String field) {
        double moved = Math.abs(second.get(field).asDouble() - first.get(field).asDouble());
        assertThat(moved)
                .as("the reference's first update changed its %s", field)
                .isGreaterThan(1e-3);
        return moved;
    }

    private static void assertClose(String what, double actual, JsonNode reference, String field, double tolerance) {
        assertThat(actual).as(what).isCloseTo(reference.get(field).asDouble(), within(tolerance));
    }
}
