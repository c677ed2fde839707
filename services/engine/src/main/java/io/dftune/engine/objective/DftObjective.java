package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;

/**
 * Dynamic Fine-Tuning: each token's NLL weighted by its own probability, with the gradient
 * stopped through the weight, so the gradient equals that of -p (Wu et al.).
 */
public final class DftObjective implements Objective {
    @Override
    public String name() {
        return "dft";
    }

    @Override
    public NDArray tokenLoss(TokenScores scores) {
        NDArray logProbs = scores.targetLogProbs();
        NDArray weight = logProbs.exp().stopGradient();
        return logProbs.mul(weight).neg();
    }
}
