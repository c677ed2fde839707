package io.dftune.engine.eval;

import io.dftune.spec.run.EvalMetric;
import java.util.OptionalDouble;

/**
 * Evaluation over a data set. {@code exactMatch} is the share of examples with a reference answer
 * whose greedy completion has that final answer; NaN when no example carries one. {@link EvalMetric}
 * describes each value and where it goes.
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

    /** The metric's value; exact match and the answered count only when the data carries answers. */
    public OptionalDouble value(EvalMetric metric) {
        return switch (metric) {
            case STEP -> OptionalDouble.of(step);
            case NLL -> OptionalDouble.of(nll);
            case DFT_LOSS -> OptionalDouble.of(dftLoss);
            case MEAN_TARGET_PROB -> OptionalDouble.of(meanTargetProb);
            case LOW_PROB_TOKEN_RATIO -> OptionalDouble.of(lowProbTokenRatio);
            case TOKEN_ACCURACY -> OptionalDouble.of(tokenAccuracy);
            case TOKENS -> OptionalDouble.of(tokens);
            case EXACT_MATCH -> hasExactMatch() ? OptionalDouble.of(exactMatch) : OptionalDouble.empty();
            case ANSWERED -> hasExactMatch() ? OptionalDouble.of(answered) : OptionalDouble.empty();
        };
    }
}
