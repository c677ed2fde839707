package io.dftune.spec.run;

import static io.dftune.spec.run.MetricInfo.count;
import static io.dftune.spec.run.MetricInfo.real;

/**
 * What an evaluation on held-out data reports (see {@link ReportedMetric} for where each goes).
 * {@link #EXACT_MATCH} and {@link #ANSWERED} are reported only when the data carries reference answers.
 */
public enum EvalMetric implements ReportedMetric {
    STEP(count("Step of the latest evaluation (0: before training)")
            .gauge("dftune.eval.step")
            .shownInStatus()),
    NLL(real("Mean negative log-likelihood on the evaluation set (nats per token)")
            .gauge("dftune.eval.nll")
            .summary("nll %.4f")
            .shownInStatus()),
    DFT_LOSS(
            real("DFT loss on the evaluation set").gauge("dftune.eval.dft.loss").summary("dft loss %.4f")),
    MEAN_TARGET_PROB(real("Mean target-token probability on the evaluation set")
            .gauge("dftune.eval.mean.target.prob")
            .summary("mean target prob %.3f")
            .shownInStatus()),
    LOW_PROB_TOKEN_RATIO(
            real("Share of evaluation tokens with probability < 0.1").gauge("dftune.eval.low.prob.token.ratio")),
    TOKEN_ACCURACY(real("Token accuracy on the evaluation set")
            .gauge("dftune.eval.token.accuracy")
            .summary("token accuracy %.3f")
            .shownInStatus()),
    TOKENS(count("Response tokens scored").summary("%d tokens")),
    EXACT_MATCH(real("Exact-match rate of greedy answers on the evaluation set")
            .gauge("dftune.eval.exact.match")
            .summary("exact match %.3f")
            .shownInStatus()),
    ANSWERED(count("Examples with a reference answer").summary("%d answered"));

    private final MetricInfo info;

    EvalMetric(MetricInfo info) {
        this.info = info;
    }

    @Override
    public MetricInfo info() {
        return info;
    }
}
