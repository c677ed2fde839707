package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;
import io.dftune.engine.nd.Constants;

/**
 * DFT with the probability weight raised to beta, {@code -sg(p)^beta log p}: beta 0 is SFT, beta 1
 * is DFT. Optionally beta ramps linearly from 0 over the first {@code rampFraction} of the run.
 */
public final class DftPowerObjective implements Objective {
    private final double beta;
    private final double rampFraction;

    /** @param rampFraction share of the run over which beta ramps from 0; 0 means no ramp */
    public DftPowerObjective(double beta, double rampFraction) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("spec.objective.beta must be in [0, 1], got " + beta);
        }
        if (!(rampFraction >= 0 && rampFraction <= 1)) {
            throw new IllegalArgumentException("beta ramp fraction must be in [0, 1], got " + rampFraction);
        }
        this.beta = beta;
        this.rampFraction = rampFraction;
    }

    @Override
    public String name() {
        return "dft-power";
    }

    /** The exponent in effect at {@code progress} (fraction of the run done). */
    public double betaAt(double progress) {
        if (rampFraction == 0) {
            return beta;
        }
        return beta * Math.min(1.0, Math.max(0.0, progress / rampFraction));
    }

    @Override
    public NDArray tokenLoss(TokenScores scores) {
        NDArray logProbs = scores.targetLogProbs();
        NDArray exponent = Constants.scalar(logProbs.getManager(), (float) betaAt(scores.progress()));
        NDArray weight = logProbs.stopGradient().mul(exponent).exp();
        return logProbs.mul(weight).neg();
    }
}
