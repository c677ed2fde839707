package io.dftune.engine.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dftune.spec.ObjectiveSpec;
import io.dftune.spec.ObjectiveType;
import io.dftune.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

/** Per-token loss values of the variants on hand-made numbers, the beta ramp, and the factory. */
class ObjectiveValuesTest {
    private static final double[] LOG_P = {-0.1, -2.0, -0.7};

    @Test
    void probQIsMinusPowerMinusOneOverQ() {
        float[] loss = tokenLoss(new ProbQObjective(0.3), 0);
        for (int i = 0; i < LOG_P.length; i++) {
            double p = Math.exp(LOG_P[i]);
            assertThat(loss[i]).isCloseTo((float) ((1 - Math.pow(p, 0.3)) / 0.3), within(1e-5f));
        }
    }

    @Test
    void dftPowerUsesTheRampedBeta() {
        DftPowerObjective objective = new DftPowerObjective(0.6, 0.1);
        float[] loss = tokenLoss(objective, 0.05);
        for (int i = 0; i < LOG_P.length; i++) {
            assertThat(loss[i]).isCloseTo((float) (-Math.pow(Math.exp(LOG_P[i]), 0.3) * LOG_P[i]), within(1e-5f));
        }
    }

    @Test
    void betaRampsLinearlyOverTheWarmupThenStays() {
        DftPowerObjective ramped = new DftPowerObjective(0.8, 0.2);
        assertThat(ramped.betaAt(0)).isEqualTo(0.0);
        assertThat(ramped.betaAt(0.05)).isCloseTo(0.2, within(1e-12));
        assertThat(ramped.betaAt(0.1)).isCloseTo(0.4, within(1e-12));
        assertThat(ramped.betaAt(0.2)).isCloseTo(0.8, within(1e-12));
        assertThat(ramped.betaAt(0.7)).isCloseTo(0.8, within(1e-12));
        assertThat(new DftPowerObjective(0.8, 0).betaAt(0)).isEqualTo(0.8);
    }

    @Test
    void asftAddsWeightedKlFromTheReference() {
        double[][] logP = {{Math.log(0.7), Math.log(0.2), Math.log(0.1)}, {Math.log(0.3), Math.log(0.3), Math.log(0.4)}
        };
        double[][] refLogP = {
            {Math.log(0.5), Math.log(0.25), Math.log(0.25)}, {Math.log(0.1), Math.log(0.6), Math.log(0.3)}
        };
        int[] targets = {0, 2};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray vocab = manager.create(flat(logP), new Shape(2, 3));
            NDArray reference = manager.create(flat(refLogP), new Shape(2, 3));
            NDArray target = manager.create(new float[] {(float) logP[0][0], (float) logP[1][2]});
            float[] loss = new AsftObjective(0.25)
                    .tokenLoss(new TokenScores(target, vocab, 0, reference))
                    .toFloatArray();
            for (int row = 0; row < 2; row++) {
                double lp = logP[row][targets[row]];
                double kl = 0;
                for (int v = 0; v < 3; v++) {
                    kl += Math.exp(refLogP[row][v]) * (refLogP[row][v] - logP[row][v]);
                }
                assertThat(loss[row]).isCloseTo((float) (-Math.exp(lp) * lp + 0.25 * kl), within(1e-5f));
            }
        }
    }

    @Test
    void factoryBuildsEveryTypeWithItsParameters() {
        TrainingSpec training = new TrainingSpec();
        training.setWarmupRatio(0.1);
        assertThat(create(ObjectiveType.SFT, training).name()).isEqualTo("sft");
        assertThat(create(ObjectiveType.DFT, training).name()).isEqualTo("dft");
        assertThat(create(ObjectiveType.ASFT, training).needsReference()).isTrue();
        assertThat(create(ObjectiveType.DFT, training).needsReference()).isFalse();
        assertThat(create(ObjectiveType.PROB_Q, training).name()).isEqualTo("prob-q");

        ObjectiveSpec power = new ObjectiveSpec(ObjectiveType.DFT_POWER);
        power.setBeta(0.5);
        assertThat(((DftPowerObjective) Objectives.create(power, training)).betaAt(0.05))
                .isEqualTo(0.5);
        power.setBetaRamp(true);
        DftPowerObjective ramped = (DftPowerObjective) Objectives.create(power, training);
        assertThat(ramped.name()).isEqualTo("dft-power");
        assertThat(ramped.betaAt(0.05)).isCloseTo(0.25, within(1e-12));
        training.setWarmupRatio(0);
        assertThat(((DftPowerObjective) Objectives.create(power, training)).betaAt(0))
                .isEqualTo(0.5);

        assertThatThrownBy(() -> Objectives.create(new ObjectiveSpec(null), training))
                .hasMessageContaining("spec.objective.type");
    }

    private static Objective create(ObjectiveType type, TrainingSpec training) {
        return Objectives.create(new ObjectiveSpec(type), training);
    }

    private static float[] tokenLoss(Objective objective, double progress) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[LOG_P.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) LOG_P[i];
            }
            NDArray logP = manager.create(values);
            return objective
                    .tokenLoss(new TokenScores(logP, logP.reshape(LOG_P.length, 1), progress))
                    .toFloatArray();
        }
    }

    private static float[] flat(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                out[r * rows[r].length + c] = (float) rows[r][c];
            }
        }
        return out;
    }
}
