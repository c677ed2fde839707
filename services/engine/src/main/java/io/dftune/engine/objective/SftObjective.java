package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;

/** Supervised fine-tuning: the negative log-likelihood of each response token. */
public final class SftObjective implements Objective {
    @Override
    public String name() {
        return "sft";
    }

    @Override
    public NDArray tokenLoss(TokenScores scores) {
        return scores.targetLogProbs().neg();
    }
}
