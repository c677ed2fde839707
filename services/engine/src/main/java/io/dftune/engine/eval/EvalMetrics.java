package io.dftune.engine.eval;

import io.dftune.spec.run.EvalMetric;
import java.util.OptionalDouble;

/**
 * Evaluation over a data set. {@code exactMatch} is accuracy@1: the share of examples with a
 * reference answer whose greedy completion states it; NaN when no example carries one. With
 * {@code k > 0} sampled completions per example: {@code avgAtK} is the mean share of correct
 * samples, {@code passAtK} the mean chance that one of k samples is correct, {@code majAtK} the
 * share of examples whose most frequent answer is correct. {@link EvalMetric} describes each value
 * and where it goes.
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
        int answered,
        int k,
        double avgAtK,
        double passAtK,
        double majAtK) {

    public boolean hasExactMatch() {
        return answered > 0;
    }

    public boolean hasSamples() {
        return answered > 0 && k > 0;
    }

    /** The metric's value; answer metrics only when the data carries answers, sampling ones only with samples. */
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
            case K -> hasSamples() ? OptionalDouble.of(k) : OptionalDouble.empty();
            case AVG_AT_K -> hasSamples() ? OptionalDouble.of(avgAtK) : OptionalDouble.empty();
            case PASS_AT_K -> hasSamples() ? OptionalDouble.of(passAtK) : OptionalDouble.empty();
            case MAJ_AT_K -> hasSamples() ? OptionalDouble.of(majAtK) : OptionalDouble.empty();
        };
    }
}
