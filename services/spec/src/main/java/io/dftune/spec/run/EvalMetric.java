package io.dftune.spec.run;

import static io.dftune.spec.run.MetricMeter.gauge;

import java.util.Locale;
import java.util.Optional;

/**
 * What an evaluation on held-out data reports (see {@link ReportedMetric} for where each goes).
 * {@link #EXACT_MATCH} and {@link #ANSWERED} are reported only when the data carries reference answers.
 */
public enum EvalMetric implements ReportedMetric {
    // (integral, description, Prometheus meter, summary pattern, in the FineTuneJob status)
    STEP(true, "Step of the latest evaluation (0: before training)", gauge("dftune.eval.step"), null, true),
    NLL(
            false,
            "Mean negative log-likelihood on the evaluation set (nats per token)",
            gauge("dftune.eval.nll"),
            "nll %.4f",
            true),
    DFT_LOSS(false, "DFT loss on the evaluation set", gauge("dftune.eval.dft.loss"), "dft loss %.4f", false),
    MEAN_TARGET_PROB(
            false,
            "Mean target-token probability on the evaluation set",
            gauge("dftune.eval.mean.target.prob"),
            "mean target prob %.3f",
            true),
    LOW_PROB_TOKEN_RATIO(
            false,
            "Share of evaluation tokens with probability < 0.1",
            gauge("dftune.eval.low.prob.token.ratio"),
            null,
            false),
    TOKEN_ACCURACY(
            false,
            "Token accuracy on the evaluation set",
            gauge("dftune.eval.token.accuracy"),
            "token accuracy %.3f",
            true),
    TOKENS(true, "Response tokens scored", null, "%d tokens", false),
    EXACT_MATCH(
            false,
            "Exact-match rate of greedy answers on the evaluation set",
            gauge("dftune.eval.exact.match"),
            "exact match %.3f",
            true),
    ANSWERED(true, "Examples with a reference answer", null, "%d answered", false);

    private final boolean integral;
    private final String description;
    private final MetricMeter meter;
    private final String summary;
    private final boolean inStatus;

    EvalMetric(boolean integral, String description, MetricMeter meter, String summary, boolean inStatus) {
        this.integral = integral;
        this.description = description;
        this.meter = meter;
        this.summary = summary;
        this.inStatus = inStatus;
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean integral() {
        return integral;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Optional<MetricMeter> meter() {
        return Optional.ofNullable(meter);
    }

    @Override
    public Optional<String> summary() {
        return Optional.ofNullable(summary);
    }

    @Override
    public boolean inStatus() {
        return inStatus;
    }
}
