package io.dftune.trainer.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dftune.engine.eval.EvalMetrics;

/**
 * What the comparison keeps of one evaluation: accuracy@1 ({@code exactMatch}, the greedy answer)
 * and, when the evaluation samples k completions per prompt ({@code spec.eval.samples}), avg@k,
 * pass@k and maj@k (null otherwise).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Score(
        double exactMatch,
        double nll,
        double meanTargetProb,
        int answered,
        Integer k,
        Double avgAtK,
        Double passAtK,
        Double majAtK) {

    /** A score of an evaluation that did not sample. */
    public Score(double exactMatch, double nll, double meanTargetProb, int answered) {
        this(exactMatch, nll, meanTargetProb, answered, null, null, null, null);
    }

    static Score of(EvalMetrics metrics) {
        if (!metrics.hasSamples()) {
            return new Score(metrics.exactMatch(), metrics.nll(), metrics.meanTargetProb(), metrics.answered());
        }
        return new Score(
                metrics.exactMatch(),
                metrics.nll(),
                metrics.meanTargetProb(),
                metrics.answered(),
                metrics.k(),
                metrics.avgAtK(),
                metrics.passAtK(),
                metrics.majAtK());
    }

    /**
     * Whether more than one completion per prompt was sampled: avg@k is then reported beside
     * accuracy@1 and chooses the learning rate (with k = 1 it is one noisy sample, and greedy
     * accuracy@1 is the steadier measure).
     */
    public boolean sampled() {
        return k != null && k > 1 && avgAtK != null;
    }

    /** The accuracy that chooses a learning rate: avg@k when {@link #sampled()}, accuracy@1 otherwise. */
    public double selectionAccuracy() {
        return sampled() ? avgAtK : exactMatch;
    }

    /** The name of {@link #selectionAccuracy()}. */
    public String selectionMetric() {
        return sampled() ? "avg@" + k : "exact match (accuracy@1)";
    }
}
