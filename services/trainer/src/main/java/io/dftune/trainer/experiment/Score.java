package io.dftune.trainer.experiment;

import io.dftune.engine.eval.EvalMetrics;

/** What the comparison keeps of one evaluation. */
public record Score(double exactMatch, double nll, double meanTargetProb, int answered) {
    static Score of(EvalMetrics metrics) {
        return new Score(metrics.exactMatch(), metrics.nll(), metrics.meanTargetProb(), metrics.answered());
    }
}
