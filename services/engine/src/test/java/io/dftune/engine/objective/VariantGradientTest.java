package io.dftune.engine.objective;

import static io.dftune.engine.objective.GradientCheck.assertClose;
import static io.dftune.engine.objective.GradientCheck.examples;
import static io.dftune.engine.objective.GradientCheck.fullResponseKlSum;
import static io.dftune.engine.objective.GradientCheck.fullTargetLogProbs;
import static io.dftune.engine.objective.GradientCheck.gradients;
import static io.dftune.engine.objective.GradientCheck.maxDifference;
import static io.dftune.engine.objective.GradientCheck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gradients of asft, prob-q and dft-power through the training path (several chunks, detached
 * hidden states, normalised over the step) against full-logits computations written separately.
 */
class VariantGradientTest {
    private static final int VOCAB = 61;
    private static final ModelConfig CONFIG = ModelConfig.llama(VOCAB, 32, 64, 2, 4, 2);
    private static final double TOLERANCE = 2e-6;

    private NDManager root;
    private CausalLm model;
    private Batch batch;
    private long n;

    @BeforeEach
    void modelAndBatch() {
        root = NDManager.newBaseManager();
        model = ModelInitializer.initialize(CONFIG, root, 3, 0.3);
        batch = Batch.of(examples(new Random(11), VOCAB), 0);
        n = batch.responseTokenCount();
    }

    @AfterEach
    void close() {
        model.close();
        root.close();
    }

    @Test
    void probQGradientIsThatOfMinusMeanPowerOfProbability() {
        double q = 0.5;
        TokenStats[] stats = new TokenStats[1];
        Map<String, float[]> viaTraining = training(new ProbQObjective(q), null, 0, stats);
        float[] expectedLoss = new float[1];
        Map<String, float[]> viaFull = full(scope -> {
            NDArray powered = fullTargetLogProbs(model, batch, scope).exp().pow(scalar(scope, q));
            NDArray loss = powered.sum().sub(scalar(scope, n)).div(scalar(scope, -q * n));
            expectedLoss[0] = loss.getFloat();
            return loss;
        });
        assertClose(viaTraining, viaFull, TOLERANCE);
        assertThat(stats[0].objectiveLoss()).isCloseTo(expectedLoss[0], within(1e-5));
        assertThat(maxDifference(viaTraining, training(new DftObjective(), null, 0, null)))
                .isGreaterThan(1e-4);
    }

    @Test
    void probQWithQOneHasTheDftGradientAndLossOneMinusP() {
        TokenStats[] stats = new TokenStats[1];
        Map<String, float[]> viaTraining = training(new ProbQObjective(1.0), null, 0, stats);
        Map<String, float[]> minusMeanP = full(scope ->
                fullTargetLogProbs(model, batch, scope).exp().sum().neg().div(scalar(scope, n)));
        assertClose(viaTraining, minusMeanP, TOLERANCE);
        assertClose(viaTraining, training(new DftObjective(), null, 0, null), TOLERANCE);
        assertThat(stats[0].objectiveLoss()).isCloseTo(1 - stats[0].meanTargetProbability(), within(1e-6));
    }

    @Test
    void dftPowerGradientIsThatOfProbabilityPowerWeightedNll() {
        double beta = 0.5;
        TokenStats[] stats = new TokenStats[1];
        Map<String, float[]> viaTraining = training(new DftPowerObjective(beta, 0), null, 0.3, stats);
        float[] expectedLoss = new float[1];
        Map<String, float[]> viaFull = full(scope -> {
            NDArray logP = fullTargetLogProbs(model, batch, scope);
            NDArray weight = logP.stopGradient().exp().pow(scalar(scope, beta));
            NDArray loss = logP.mul(weight).sum().neg().div(scalar(scope, n));
            expectedLoss[0] = loss.getFloat();
            return loss;
        });
        assertClose(viaTraining, viaFull, TOLERANCE);
        assertThat(stats[0].objectiveLoss()).isCloseTo(expectedLoss[0], within(1e-5));
    }

    @Test
    void dftPowerWithBetaOneIsDftAndWithBetaZeroIsSft() {
        Map<String, float[]> dft = training(new DftObjective(), null, 0, null);
        Map<String, float[]> sft = training(new SftObjective(), null, 0, null);
        assertClose(training(new DftPowerObjective(1.0, 0), null, 0, null), dft, TOLERANCE);
        assertClose(training(new DftPowerObjective(0.0, 0), null, 0, null), sft, TOLERANCE);
        assertThat(maxDifference(dft, sft)).isGreaterThan(1e-3);
    }

    @Test
    void rampedDftPowerStartsAsSftAndFollowsTheRampedBeta() {
        DftPowerObjective ramped = new DftPowerObjective(0.8, 0.2);
        assertClose(training(ramped, null, 0, null), training(new SftObjective(), null, 0, null), TOLERANCE);
        assertClose(
                training(ramped, null, 0.05, null), training(new DftPowerObjective(0.2, 0), null, 0, null), TOLERANCE);
        assertClose(
                training(ramped, null, 0.9, null), training(new DftPowerObjective(0.8, 0), null, 0, null), TOLERANCE);
    }

    @Test
    void asftGradientIsThatOfDftPlusWeightedFullKl() {
        double klWeight = 0.5;
        try (CausalLm reference = frozen(8)) {
            TokenStats[] stats = new TokenStats[1];
            Map<String, float[]> viaTraining = training(new AsftObjective(klWeight), reference, 0, stats);
            float[] expectedLoss = new float[1];
            Map<String, float[]> viaFull = full(scope -> {
                NDArray logP = fullTargetLogProbs(model, batch, scope);
                NDArray dftSum = logP.mul(logP.stopGradient().exp()).sum().neg();
                NDArray kl = fullResponseKlSum(model, reference, batch, scope);
                NDArray loss = dftSum.add(kl.mul(scalar(scope, klWeight))).div(scalar(scope, n));
                expectedLoss[0] = loss.getFloat();
                return loss;
            });
            assertClose(viaTraining, viaFull, TOLERANCE);
            assertThat(stats[0].objectiveLoss()).isCloseTo(expectedLoss[0], within(1e-5));
            // The KL term is large enough here that leaving it out would be caught.
            assertThat(stats[0].objectiveLoss() - stats[0].dftLoss()).isGreaterThan(1e-3);
            assertThat(maxDifference(viaTraining, training(new DftObjective(), null, 0, null)))
                    .isGreaterThan(1e-4);
        }
    }

    @Test
    void asftWithZeroKlWeightIsDft() {
        try (CausalLm reference = frozen(8)) {
            assertClose(
                    training(new AsftObjective(0), reference, 0, null),
                    training(new DftObjective(), null, 0, null),
                    TOLERANCE);
        }
    }

    @Test
    void asftEqualsDftWhileTheModelIsStillTheReference() {
        try (CausalLm reference = frozen(3)) {
            TokenStats[] stats = new TokenStats[1];
            Map<String, float[]> asft = training(new AsftObjective(0.1), reference, 0, stats);
            assertThat(stats[0].objectiveLoss()).isCloseTo(stats[0].dftLoss(), within(1e-6));
            assertClose(asft, training(new DftObjective(), null, 0, null), TOLERANCE);
        }
    }

    @Test
    void asftWithoutAReferenceIsRefused() {
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            assertThatThrownBy(() -> new ResponseLoss(5)
                            .forwardBackward(
                                    new ResponseLoss.Step(model, null, new AsftObjective(0.1), n, 0), batch, c))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("asft");
        }
    }

    private CausalLm frozen(long seed) {
        CausalLm reference = ModelInitializer.initialize(CONFIG, root, seed, 0.3);
        reference.setTrainable(false);
        return reference;
    }

    /** Gradients through ResponseLoss with 5-token chunks; stores the step's stats in {@code stats[0]}. */
    private Map<String, float[]> training(
            Objective objective, CausalLm reference, double progress, TokenStats[] stats) {
        return gradients(model, () -> {
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                TokenStats result = new ResponseLoss(5)
                        .forwardBackward(new ResponseLoss.Step(model, reference, objective, n, progress), batch, c);
                if (stats != null) {
                    stats[0] = result;
                }
            }
        });
    }

    private Map<String, float[]> full(Function<NDManager, NDArray> loss) {
        return gradients(model, () -> {
            try (GradientCollector c = Engine.getInstance().newGradientCollector();
                    NDManager scope = root.newSubManager()) {
                c.backward(loss.apply(scope));
            }
        });
    }
}
