package io.dftune.engine.objective;

import static io.dftune.engine.objective.GradientCheck.assertClose;
import static io.dftune.engine.objective.GradientCheck.examples;
import static io.dftune.engine.objective.GradientCheck.fullTargetLogProbs;
import static io.dftune.engine.objective.GradientCheck.gradients;
import static io.dftune.engine.objective.GradientCheck.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the objectives as the training path computes them (chunked, against detached hidden
 * states, normalised over the step) against a separately written full-logits computation.
 */
class ObjectiveGradientTest {
    private static final int VOCAB = 61;

    @Test
    void dftGradientEqualsGradientOfMinusMeanProbability() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2), root, 3, 0.3)) {
            List<TrainingExample> examples = examples(new Random(9), VOCAB);
            Batch batch = Batch.of(examples, 0);
            long n = batch.responseTokenCount();

            Map<String, float[]> viaTraining = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(5)
                            .forwardBackward(new ResponseLoss.Step(model, null, new DftObjective(), n, 0), batch, c);
                }
            });
            Map<String, float[]> viaProbability = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector();
                        NDManager scope = root.newSubManager()) {
                    NDArray targetProbabilities =
                            fullTargetLogProbs(model, batch, scope).exp();
                    c.backward(targetProbabilities.sum().neg().div(scope.full(new ai.djl.ndarray.types.Shape(), n)));
                }
            });
            assertClose(viaTraining, viaProbability, 2e-6);

            Map<String, float[]> sft = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(5)
                            .forwardBackward(new ResponseLoss.Step(model, null, new SftObjective(), n, 0), batch, c);
                }
            });
            assertThat(maxDifference(sft, viaProbability))
                    .as("SFT and DFT gradients differ")
                    .isGreaterThan(1e-3);
        }
    }

    @Test
    void updateDoesNotDependOnTheMicroBatchSplit() {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2), root, 4, 0.3)) {
            List<TrainingExample> examples = examples(new Random(10), VOCAB);
            Batch whole = Batch.of(examples, 0);
            long n = whole.responseTokenCount();
            Map<String, float[]> oneBatch = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    new ResponseLoss(1024)
                            .forwardBackward(new ResponseLoss.Step(model, null, new DftObjective(), n, 0), whole, c);
                }
            });
            Map<String, float[]> perExample = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    for (TrainingExample e : examples) {
                        new ResponseLoss(1024)
                                .forwardBackward(
                                        new ResponseLoss.Step(model, null, new DftObjective(), n, 0),
                                        Batch.of(List.of(e), 0),
                                        c);
                    }
                }
            });
            assertClose(oneBatch, perExample, 1e-6);

            // Dividing each micro-batch by its own token count (the official code's bug) is detectably different.
            Map<String, float[]> perMicroBatchMean = gradients(model, () -> {
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    for (TrainingExample e : examples) {
                        Batch single = Batch.of(List.of(e), 0);
                        new ResponseLoss(1024)
                                .forwardBackward(
                                        new ResponseLoss.Step(
                                                model, null, new DftObjective(), single.responseTokenCount(), 0),
                                        single,
                                        c);
                    }
                }
            });
            assertThat(maxDifference(oneBatch, perMicroBatchMean)).isGreaterThan(1e-4);
        }
    }
}
