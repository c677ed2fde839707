package io.dftune.engine.eval;

/**
 * Evaluation over a data set. {@code exactMatch} is the share of examples with a reference answer
 * whose greedy completion has that final answer; NaN when no example carries one.
 */
public record EvalMetrics(
        long step,
        double nll,
        double dftLoss,
        double meanTargetProb,
        double lowProbTokenRatio,
        double tokenAccuracy,
        long tokens,
        double exactMatch,
        int answered) {

    public boolean hasExactMatch() {
        return answered > 0;
    }
}
