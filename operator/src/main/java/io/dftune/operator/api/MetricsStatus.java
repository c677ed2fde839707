package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The latest training step's metrics, and the latest evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsStatus {
    /** The step these training metrics are from. */
    public Long step;
    /** The objective's loss (for DFT: the probability-weighted NLL). */
    public Double loss;

    public Double nll;
    public Double meanTargetProb;
    public Double tokensPerSecond;
    public Double learningRate;
    public EvalStatus eval;

    /** An evaluation on the held-out set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EvalStatus {
        /** 0: before training. */
        public long step;

        public Double nll;
        public Double meanTargetProb;
        public Double tokenAccuracy;
        /** Accuracy@1: the share of greedy answers equal to the reference. */
        public Double exactMatch;
        /** Sampled completions per example (spec.eval.samples), when the evaluation samples. */
        public Integer k;

        public Double avgAtK;
        public Double passAtK;
        public Double majAtK;
    }
}
