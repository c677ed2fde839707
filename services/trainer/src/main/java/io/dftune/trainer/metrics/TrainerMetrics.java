package io.dftune.trainer.metrics;

import java.util.List;

/**
 * Every metric the trainer exports, in Micrometer's dotted form. The Prometheus registry writes
 * them with underscores, {@code _total} on counters and {@code _seconds} on timers, e.g.
 * {@link #TRAIN_LOSS} is scraped as {@code dftune_train_loss}. Each carries the tags
 * {@link #TAG_JOB}, {@link #TAG_NAMESPACE} and {@link #TAG_OBJECTIVE}. docs/metrics.md lists them;
 * dashboards and alert rules refer to the Prometheus names.
 */
public final class TrainerMetrics {
    public static final String TAG_JOB = "job";
    public static final String TAG_NAMESPACE = "namespace";
    public static final String TAG_OBJECTIVE = "objective";
    /** On {@link #RUN_PHASE}: one series per phase, 1 for the current one. */
    public static final String TAG_PHASE = "phase";

    public static final String TRAIN_LOSS = "dftune.train.loss";
    public static final String TRAIN_NLL = "dftune.train.nll";
    public static final String TRAIN_MEAN_TARGET_PROB = "dftune.train.mean.target.prob";
    public static final String TRAIN_LOW_PROB_TOKEN_RATIO = "dftune.train.low.prob.token.ratio";
    public static final String TRAIN_TOKEN_ACCURACY = "dftune.train.token.accuracy";
    public static final String TRAIN_LEARNING_RATE = "dftune.train.learning.rate";
    public static final String TRAIN_GRAD_NORM = "dftune.train.grad.norm";
    public static final String TRAIN_TOKENS_PER_SECOND = "dftune.train.tokens.per.second";
    public static final String TRAIN_EPOCH = "dftune.train.epoch";
    public static final String TRAIN_STEP = "dftune.train.step";
    public static final String TRAIN_TOTAL_STEPS = "dftune.train.total.steps";
    /** Counter: optimizer steps done by this process. */
    public static final String TRAIN_STEPS = "dftune.train.steps";
    /** Counter: response (trained) tokens processed by this process. */
    public static final String TRAIN_TOKENS = "dftune.train.tokens";
    /** Timer: wall-clock time of each optimizer step. */
    public static final String TRAIN_STEP_DURATION = "dftune.train.step.duration";

    public static final String EVAL_STEP = "dftune.eval.step";
    public static final String EVAL_NLL = "dftune.eval.nll";
    public static final String EVAL_DFT_LOSS = "dftune.eval.dft.loss";
    public static final String EVAL_MEAN_TARGET_PROB = "dftune.eval.mean.target.prob";
    public static final String EVAL_LOW_PROB_TOKEN_RATIO = "dftune.eval.low.prob.token.ratio";
    public static final String EVAL_TOKEN_ACCURACY = "dftune.eval.token.accuracy";
    public static final String EVAL_EXACT_MATCH = "dftune.eval.exact.match";

    /** Timer: time to write one checkpoint. */
    public static final String CHECKPOINT_WRITE = "dftune.checkpoint.write";
    /** Gauge: optimizer step of the newest checkpoint written by this process. */
    public static final String CHECKPOINT_STEP = "dftune.checkpoint.step";

    public static final String RUN_PHASE = "dftune.run.phase";
    /** Counter: runs that resumed from a checkpoint instead of the base model. */
    public static final String RUN_RESUMES = "dftune.run.resumes";
    /** Gauge: GPUs the run trains on (0 on CPU). */
    public static final String RUN_GPUS = "dftune.run.gpus";
    /** Counter: GPUs times seconds since the run started in this process (the dashboard's GPU-hours). */
    public static final String RUN_GPU_SECONDS = "dftune.run.gpu.seconds";

    /** The names as Prometheus exposes them (gauges as is; counters with _total; timers with _seconds_count). */
    public static List<String> prometheusNames() {
        return List.of(
                prometheus(TRAIN_LOSS),
                prometheus(TRAIN_NLL),
                prometheus(TRAIN_MEAN_TARGET_PROB),
                prometheus(TRAIN_LOW_PROB_TOKEN_RATIO),
                prometheus(TRAIN_TOKEN_ACCURACY),
                prometheus(TRAIN_LEARNING_RATE),
                prometheus(TRAIN_GRAD_NORM),
                prometheus(TRAIN_TOKENS_PER_SECOND),
                prometheus(TRAIN_EPOCH),
                prometheus(TRAIN_STEP),
                prometheus(TRAIN_TOTAL_STEPS),
                prometheus(TRAIN_STEPS) + "_total",
                prometheus(TRAIN_TOKENS) + "_total",
                prometheus(TRAIN_STEP_DURATION) + "_seconds_count",
                prometheus(EVAL_STEP),
                prometheus(EVAL_NLL),
                prometheus(EVAL_DFT_LOSS),
                prometheus(EVAL_MEAN_TARGET_PROB),
                prometheus(EVAL_LOW_PROB_TOKEN_RATIO),
                prometheus(EVAL_TOKEN_ACCURACY),
                prometheus(EVAL_EXACT_MATCH),
                prometheus(CHECKPOINT_WRITE) + "_seconds_count",
                prometheus(CHECKPOINT_STEP),
                prometheus(RUN_PHASE),
                prometheus(RUN_RESUMES) + "_total",
                prometheus(RUN_GPUS),
                prometheus(RUN_GPU_SECONDS) + "_total");
    }

    public static String prometheus(String name) {
        return name.replace('.', '_');
    }

    private TrainerMetrics() {}
}
