package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The latest training step's metrics, the latest evaluation, the one before training and a thinned curve. */
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

    @JsonPropertyDescription("The latest evaluation on the held-out set.")
    public EvalStatus eval;

    @JsonPropertyDescription("The evaluation of the base model, before the first training step (step 0).")
    public EvalStatus baseEval;

    @JsonPropertyDescription("Training loss, NLL and mean target probability at steps spread over the run "
            + "(at most 128 points, thinned evenly as the run grows), for plotting training curves.")
    public List<CurvePoint> curve;

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
        /** Examples with a reference answer. */
        public Long answered;
        /** Sampled completions per example (spec.eval.samples), when the evaluation samples. */
        public Integer k;

        public Double avgAtK;
        public Double passAtK;
        public Double majAtK;
    }

    /** One training step's loss, NLL and mean target probability. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CurvePoint {
        public long step;
        public Double loss;
        public Double nll;
        public Double meanTargetProb;
    }
}
