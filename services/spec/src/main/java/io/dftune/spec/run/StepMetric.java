package io.dftune.spec.run;

import static io.dftune.spec.run.MetricInfo.count;
import static io.dftune.spec.run.MetricInfo.real;

/** What one optimizer step reports (see {@link ReportedMetric} for where each goes). */
public enum StepMetric implements ReportedMetric {
    STEP(count("Optimizer steps done, counting those before a resume")
            .gauge("dftune.train.step")
            .shownInStatus()),
    TOTAL_STEPS(count("Optimizer steps the run takes")),
    EPOCH(real("Epochs done (passes over the training set)").gauge("dftune.train.epoch")),
    LOSS(real("Objective loss of the latest optimizer step (for DFT: the probability-weighted NLL)")
            .gauge("dftune.train.loss")
            .summary("loss %.4f")
            .shownInStatus()),
    NLL(real("Mean negative log-likelihood of the response tokens, latest step (nats per token)")
            .gauge("dftune.train.nll")
            .summary("nll %.3f")
            .shownInStatus()),
    MEAN_TARGET_PROB(real("Mean probability of the target tokens, latest step")
            .gauge("dftune.train.mean.target.prob")
            .summary("p %.3f")
            .shownInStatus()),
    LOW_PROB_TOKEN_RATIO(real("Share of response tokens with probability < 0.1, latest step")
            .gauge("dftune.train.low.prob.token.ratio")),
    TOKEN_ACCURACY(
            real("Share of response tokens predicted exactly, latest step").gauge("dftune.train.token.accuracy")),
    LEARNING_RATE(real("Learning rate of the latest step")
            .gauge("dftune.train.learning.rate")
            .summary("lr %.2e")
            .shownInStatus()),
    GRAD_NORM(real("Global gradient norm before clipping, latest step").gauge("dftune.train.grad.norm")),
    TOKENS_PER_SECOND(real("Input tokens per second of the latest step")
            .gauge("dftune.train.tokens.per.second")
            .summary("%.0f tok/s")
            .shownInStatus()),
    RESPONSE_TOKENS(count("Response (trained) tokens of the step").counter("dftune.train.tokens")),
    STEP_SECONDS(real("Wall-clock seconds of the step").timer("dftune.train.step.duration"));

    private final MetricInfo info;

    StepMetric(MetricInfo info) {
        this.info = info;
    }

    @Override
    public MetricInfo info() {
        return info;
    }
}
