package io.dftune.spec.run;

import static io.dftune.spec.run.MetricInfo.count;
import static io.dftune.spec.run.MetricInfo.real;

/**
 * What an evaluation on held-out data reports (see {@link ReportedMetric} for where each goes).
 * {@link #EXACT_MATCH} and {@link #ANSWERED} are reported only when the data carries reference answers,
 * {@link #K} and the sampling metrics after it only when the evaluation also samples ({@code spec.eval.samples}).
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
    EXACT_MATCH(real("Accuracy@1: share of greedy answers equal to the reference answer")
            .gauge("dftune.eval.exact.match")
            .summary("exact match %.3f")
            .shownInStatus()),
    ANSWERED(count("Examples with a reference answer").summary("%d answered").shownInStatus()),
    K(count("Sampled completions per example").summary("k %d").shownInStatus()),
    AVG_AT_K(real("avg@k: mean share of correct answers among the k samples")
            .gauge("dftune.eval.avg.at.k")
            .summary("avg@k %.3f")
            .shownInStatus()),
    PASS_AT_K(real("pass@k: chance that one of k samples is correct (unbiased estimator)")
            .gauge("dftune.eval.pass.at.k")
            .summary("pass@k %.3f")
            .shownInStatus()),
    MAJ_AT_K(real("maj@k: share of examples whose most frequent sampled answer is correct")
            .gauge("dftune.eval.maj.at.k")
            .summary("maj@k %.3f")
            .shownInStatus());

    private final MetricInfo info;

    EvalMetric(MetricInfo info) {
        this.info = info;
    }

    @Override
    public MetricInfo info() {
        return info;
    }
}
