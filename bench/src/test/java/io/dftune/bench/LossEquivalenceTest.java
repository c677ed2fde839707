package io.dftune.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.nd.Leaves;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.SftObjective;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loss-memory benchmark compares like with like: chunked and naive losses agree element-wise. */
class LossEquivalenceTest {

    @Test
    void chunkedAndNaiveLossesGiveTheSameValueAndGradients() {
        ModelConfig config = ModelConfig.builder(Architecture.QWEN2)
                .sizes(300, 16, 8, 1, 1, 1)
                .headDim(8)
                .tieWordEmbeddings(true)
                .build();
        Batch batch = BenchModels.syntheticBatch(3, 41, 300, 5);
        for (int[] row : batch.completionMask()) {
            java.util.Arrays.fill(row, 0, 9, 0); // a prompt part that does not count
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = ModelInitializer.initialize(config, manager, 1, 0.5);
            model.setTrainable(true);
            NDArray hidden = manager.randomNormal(new Shape(3 * 41, 16));
            hidden.setRequiresGradient(true);
            for (Objective objective : List.of(new SftObjective(), new DftObjective())) {
                double[] chunkedLoss = new double[1];
                float[][] chunked = gradients(model, hidden, collector -> {
                    try (NDManager scope = manager.newSubManager()) {
                        ResponseLoss.Pass pass = new ResponseLoss(16)
                                .fromHidden(
                                        new ResponseLoss.Step(model, null, objective, 200, 1.0), batch, hidden, scope);
                        pass.lossBackward(collector);
                        pass.transformerBackward();
                        chunkedLoss[0] = pass.stats().objectiveLoss() * batch.responseTokenCount() / 200;
                    }
                });
                double[] naiveLoss = new double[1];
                float[][] naive = gradients(model, hidden, collector -> {
                    try (NDManager scope = manager.newSubManager()) {
                        naiveLoss[0] =
                                NaiveLoss.forwardBackward(model, hidden, batch, 200, objective, collector, scope);
                    }
                });
                assertThat(chunkedLoss[0]).as(objective.name()).isCloseTo(naiveLoss[0], within(1e-6));
                for (int g = 0; g < 2; g++) {
                    assertThat(chunked[g]).hasSameSizeAs(naive[g]);
                    for (int i = 0; i < naive[g].length; i++) {
                        assertThat(chunked[g][i])
                                .as("%s gradient %d[%d]", objective.name(), g, i)
                                .isCloseTo(naive[g][i], within(1e-6f));
                    }
                }
            }
        }
    }

    /** Runs one loss backward from zero gradients; returns {hidden gradient, head gradient}. */
    private static float[][] gradients(
            CausalLm model, NDArray hidden, java.util.function.Consumer<GradientCollector> loss) {
        Leaves.zeroGradients(List.of(hidden, model.lmHeadWeight()), model.manager());
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            loss.accept(collector);
        }
        return new float[][] {
            hidden.getGradient().toFloatArray(),
            model.lmHeadWeight().getGradient().toFloatArray()
        };
    }
}
