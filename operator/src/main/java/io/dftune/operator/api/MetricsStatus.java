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
        public Double exactMatch;
    }
}
