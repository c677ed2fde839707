package io.dftune.spec.run;

import static io.dftune.spec.run.MetricMeter.counter;
import static io.dftune.spec.run.MetricMeter.gauge;
import static io.dftune.spec.run.MetricMeter.timer;

import java.util.Locale;
import java.util.Optional;

/** What one optimizer step reports (see {@link ReportedMetric} for where each goes). */
public enum StepMetric implements ReportedMetric {
    // (integral, description, Prometheus meter, summary pattern, in the FineTuneJob status)
    STEP(true, "Optimizer steps done, counting those before a resume", gauge("dftune.train.step"), null, true),
    TOTAL_STEPS(true, "Optimizer steps the run takes", null, null, false),
    EPOCH(false, "Epochs done (passes over the training set)", gauge("dftune.train.epoch"), null, false),
    LOSS(
            false,
            "Objective loss of the latest optimizer step (for DFT: the probability-weighted NLL)",
            gauge("dftune.train.loss"),
            "loss %.4f",
            true),
    NLL(
            false,
            "Mean negative log-likelihood of the response tokens, latest step (nats per token)",
            gauge("dftune.train.nll"),
            "nll %.3f",
            true),
    MEAN_TARGET_PROB(
            false,
            "Mean probability of the target tokens, latest step",
            gauge("dftune.train.mean.target.prob"),
            "p %.3f",
            true),
    LOW_PROB_TOKEN_RATIO(
            false,
            "Share of response tokens with probability < 0.1, latest step",
            gauge("dftune.train.low.prob.token.ratio"),
            null,
            false),
    TOKEN_ACCURACY(
            false,
            "Share of response tokens predicted exactly, latest step",
            gauge("dftune.train.token.accuracy"),
            null,
            false),
    LEARNING_RATE(false, "Learning rate of the latest step", gauge("dftune.train.learning.rate"), "lr %.2e", true),
    GRAD_NORM(false, "Global gradient norm before clipping, latest step", gauge("dftune.train.grad.norm"), null, false),
    TOKENS_PER_SECOND(
            false,
            "Input tokens per second of the latest step",
            gauge("dftune.train.tokens.per.second"),
            "%.0f tok/s",
            true),
    RESPONSE_TOKENS(true, "Response (trained) tokens of the step", counter("dftune.train.tokens"), null, false),
    STEP_SECONDS(false, "Wall-clock seconds of the step", timer("dftune.train.step.duration"), null, false);

    private final boolean integral;
    private final String description;
    private final MetricMeter meter;
    private final String summary;
    private final boolean inStatus;

    StepMetric(boolean integral, String description, MetricMeter meter, String summary, boolean inStatus) {
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
