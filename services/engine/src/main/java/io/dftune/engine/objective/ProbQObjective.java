package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.nd.Constants;

/**
 * The probability-power family {@code -(p^q - 1)/q} ("Beyond Log Likelihood"): q -> 0 approaches
 * NLL and q = 1 is {@code 1 - p}. Unlike DFT, the gradient flows through p itself.
 */
public final class ProbQObjective implements Objective {
    private final double q;

    public ProbQObjective(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("spec.objective.q must be in (0, 1], got " + q);
        }
        this.q = q;
    }

    @Override
    public String name() {
        return "prob-q";
    }

    @Override
    public NDArray tokenLoss(TokenScores scores) {
        NDArray logProbs = scores.targetLogProbs();
        NDManager manager = logProbs.getManager();
        NDArray powered = logProbs.mul(Constants.scalar(manager, (float) q)).exp();
        return powered.sub(Constants.scalar(manager, 1f)).mul(Constants.scalar(manager, (float) (-1.0 / q)));
    }
}
