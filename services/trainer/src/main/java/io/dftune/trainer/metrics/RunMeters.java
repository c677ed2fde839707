package io.dftune.trainer.metrics;

import static io.dftune.trainer.metrics.TrainerMetrics.*;

import ai.djl.engine.Engine;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.MetricMeter;
import io.dftune.spec.run.ReportedMetric;
import io.dftune.spec.run.StepMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The meters of one run, fed by its training callbacks. Gauges read the latest step and
 * evaluation (NaN until there is one), so the training thread only swaps a reference.
 */
public final class RunMeters implements TrainingListener {
    private final AtomicReference<StepMetrics> latestStep = new AtomicReference<>();
    private final AtomicReference<EvalMetrics> latestEval = new AtomicReference<>();
    private final AtomicLong totalSteps = new AtomicLong();
    private final AtomicLong checkpointStep = new AtomicLong();
    private final AtomicLong gpus = new AtomicLong();
    /** System.nanoTime() when the run started; 0 before. */
    private final AtomicLong startNanos = new AtomicLong();
    /** Counters and timers of reported metrics, fed with each report. */
    private final List<Consumer<StepMetrics>> perStep = new ArrayList<>();

    private final List<Consumer<EvalMetrics>> perEval = new ArrayList<>();

    private final Counter steps;
    private final Counter resumes;
    private final Timer checkpointWrite;

    public RunMeters(MeterRegistry registry, String job, String namespace, String objective, Supplier<Phase> phase) {
        Tags tags = Tags.of(TAG_JOB, job, TAG_NAMESPACE, namespace, TAG_OBJECTIVE, objective);
        for (StepMetric metric : StepMetric.values()) {
            metric.info()
                    .meter()
                    .ifPresent(
                            meter -> register(registry, tags, metric, meter, latestStep, StepMetrics::value, perStep));
        }
        for (EvalMetric metric : EvalMetric.values()) {
            metric.info()
                    .meter()
                    .ifPresent(
                            meter -> register(registry, tags, metric, meter, latestEval, EvalMetrics::value, perEval));
        }
        Gauge.builder(TRAIN_TOTAL_STEPS, totalSteps, AtomicLong::get)
                .tags(tags)
                .description("Optimizer steps the run takes")
                .strongReference(true)
                .register(registry);

        steps = Counter.builder(TRAIN_STEPS)
                .tags(tags)
                .description("Optimizer steps done by this process")
                .register(registry);
        resumes = Counter.builder(RUN_RESUMES)
                .tags(tags)
                .description("Runs resumed from a checkpoint instead of starting from the base model")
                .register(registry);
        checkpointWrite = Timer.builder(CHECKPOINT_WRITE)
                .tags(tags)
                .description("Time to write a checkpoint")
                .register(registry);
        Gauge.builder(CHECKPOINT_STEP, checkpointStep, AtomicLong::get)
                .tags(tags)
                .description("Step of the newest checkpoint written by this process")
                .strongReference(true)
                .register(registry);
        Gauge.builder(RUN_GPUS, gpus, AtomicLong::get)
                .tags(tags)
                .description("GPUs the run trains on (0 on CPU)")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(RUN_GPU_SECONDS, this, RunMeters::gpuSeconds)
                .tags(tags)
                .description("GPUs times seconds since the run started in this process")
                .register(registry);
        for (Phase p : Phase.values()) {
            if (p != Phase.PHASE_UNSPECIFIED && p != Phase.UNRECOGNIZED) {
                Gauge.builder(RUN_PHASE, phase, current -> current.get() == p ? 1 : 0)
                        .tags(tags.and(TAG_PHASE, phaseLabel(p)))
                        .description("1 for the run's current phase, 0 for the others")
                        .strongReference(true)
                        .register(registry);
            }
        }
    }

    /** The phase tag value: the proto name without its prefix, lower case ("training"). */
    public static String phaseLabel(Phase phase) {
        return phase.name().substring("PHASE_".length()).toLowerCase(Locale.ROOT);
    }

    private double gpuSeconds() {
        long start = startNanos.get();
        return start == 0 ? 0 : gpus.get() * (System.nanoTime() - start) / 1e9;
    }

    /**
     * A gauge reads the latest report (NaN before the first, or when the report lacks the metric);
     * counters and timers take each report's value as it arrives.
     */
    private <M extends ReportedMetric, R> void register(
            MeterRegistry registry,
            Tags tags,
            M metric,
            MetricMeter meter,
            AtomicReference<R> latest,
            BiFunction<R, M, OptionalDouble> value,
            List<Consumer<R>> perReport) {
        switch (meter.kind()) {
            case GAUGE ->
                Gauge.builder(
                                meter.name(),
                                latest,
                                ref -> ref.get() == null
                                        ? Double.NaN
                                        : value.apply(ref.get(), metric).orElse(Double.NaN))
                        .tags(tags)
                        .description(metric.info().description())
                        .strongReference(true)
                        .register(registry);
            case COUNTER -> {
                Counter counter = Counter.builder(meter.name())
                        .tags(tags)
                        .description(metric.info().description() + ", summed over the steps of this process")
                        .register(registry);
                perReport.add(report -> value.apply(report, metric).ifPresent(counter::increment));
            }
            case TIMER -> {
                Timer timer = Timer.builder(meter.name())
                        .tags(tags)
                        .description(metric.info().description())
                        .register(registry);
                perReport.add(report -> value.apply(report, metric)
                        .ifPresent(seconds -> timer.record(Duration.ofNanos((long) (seconds * 1e9)))));
            }
        }
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        totalSteps.set(plan.totalSteps());
        // The engine trains on its default device: the first GPU when there is one.
        gpus.set(Engine.getInstance().defaultDevice().isGpu() ? 1 : 0);
        startNanos.compareAndSet(0, System.nanoTime());
        if (resumedFromStep > 0) {
            resumes.increment();
        }
    }

    @Override
    public void onStep(StepMetrics m) {
        latestStep.set(m);
        steps.increment();
        perStep.forEach(meter -> meter.accept(m));
    }

    @Override
    public void onEval(EvalMetrics m) {
        latestEval.set(m);
        perEval.forEach(meter -> meter.accept(m));
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        checkpointStep.set(step);
        checkpointWrite.record(Duration.ofNanos((long) (seconds * 1e9)));
    }
}
