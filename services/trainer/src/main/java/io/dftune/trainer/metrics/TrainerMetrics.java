package io.dftune.trainer.metrics;

import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.MetricMeter;
import io.dftune.spec.run.StepMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The names of the metrics the trainer exports beside the reported step and evaluation metrics
 * (whose meters {@link StepMetric} and {@link EvalMetric} name), in Micrometer's dotted form. The
 * Prometheus registry writes them with underscores, {@code _total} on counters and {@code _seconds}
 * on timers, e.g. {@code dftune.train.loss} is scraped as {@code dftune_train_loss}. Each carries the tags
 * {@link #TAG_JOB}, {@link #TAG_NAMESPACE} and {@link #TAG_OBJECTIVE}. docs/metrics.md lists them;
 * dashboards and alert rules refer to the Prometheus names.
 */
public final class TrainerMetrics {
    public static final String TAG_JOB = "job";
    public static final String TAG_NAMESPACE = "namespace";
    public static final String TAG_OBJECTIVE = "objective";
    /** On {@link #RUN_PHASE}: one series per phase, 1 for the current one. */
    public static final String TAG_PHASE = "phase";

    /** Gauge: optimizer steps the run takes (known before the first step). */
    public static final String TRAIN_TOTAL_STEPS = "dftune.train.total.steps";
    /** Counter: optimizer steps done by this process. */
    public static final String TRAIN_STEPS = "dftune.train.steps";

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
        List<String> names = new ArrayList<>();
        Stream.concat(Arrays.stream(StepMetric.values()), Arrays.stream(EvalMetric.values()))
                .flatMap(metric -> metric.info().meter().stream())
                .forEach(meter -> names.add(prometheus(meter)));
        names.addAll(List.of(
                prometheus(TRAIN_TOTAL_STEPS),
                prometheus(TRAIN_STEPS) + "_total",
                prometheus(CHECKPOINT_WRITE) + "_seconds_count",
                prometheus(CHECKPOINT_STEP),
                prometheus(RUN_PHASE),
                prometheus(RUN_RESUMES) + "_total",
                prometheus(RUN_GPUS),
                prometheus(RUN_GPU_SECONDS) + "_total"));
        return names;
    }

    /** A reported metric's meter as Prometheus exposes it. */
    public static String prometheus(MetricMeter meter) {
        return prometheus(meter.name())
                + switch (meter.kind()) {
                    case GAUGE -> "";
                    case COUNTER -> "_total";
                    case TIMER -> "_seconds_count";
                };
    }

    public static String prometheus(String name) {
        return name.replace('.', '_');
    }

    private TrainerMetrics() {}
}
