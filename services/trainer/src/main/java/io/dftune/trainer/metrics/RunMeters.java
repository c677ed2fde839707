package io.dftune.trainer.metrics;

import static io.dftune.trainer.metrics.TrainerMetrics.*;

import ai.djl.engine.Engine;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.proto.v1.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

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

    private final Counter steps;
    private final Counter tokens;
    private final Counter resumes;
    private final Timer stepDuration;
    private final Timer checkpointWrite;

    public RunMeters(MeterRegistry registry, String job, String namespace, String objective, Supplier<Phase> phase) {
        Tags tags = Tags.of(TAG_JOB, job, TAG_NAMESPACE, namespace, TAG_OBJECTIVE, objective);
        train(registry, tags, TRAIN_LOSS, "Objective loss of the latest optimizer step", StepMetrics::loss);
        train(
                registry,
                tags,
                TRAIN_NLL,
                "Mean negative log-likelihood of the response tokens, latest step",
                StepMetrics::nll);
        train(
                registry,
                tags,
                TRAIN_MEAN_TARGET_PROB,
                "Mean probability of the target tokens, latest step",
                StepMetrics::meanTargetProb);
        train(
                registry,
                tags,
                TRAIN_LOW_PROB_TOKEN_RATIO,
                "Share of response tokens with probability < 0.1, latest step",
                StepMetrics::lowProbTokenRatio);
        train(
                registry,
                tags,
                TRAIN_TOKEN_ACCURACY,
                "Share of response tokens predicted exactly, latest step",
                StepMetrics::tokenAccuracy);
        train(registry, tags, TRAIN_LEARNING_RATE, "Learning rate of the latest step", StepMetrics::learningRate);
        train(
                registry,
                tags,
                TRAIN_GRAD_NORM,
                "Global gradient norm before clipping, latest step",
                StepMetrics::gradNorm);
        train(
                registry,
                tags,
                TRAIN_TOKENS_PER_SECOND,
                "Input tokens per second of the latest step",
                StepMetrics::tokensPerSecond);
        train(registry, tags, TRAIN_EPOCH, "Epochs done", StepMetrics::epoch);
        train(registry, tags, TRAIN_STEP, "Optimizer steps done, counting those before a resume", StepMetrics::step);
        Gauge.builder(TRAIN_TOTAL_STEPS, totalSteps, AtomicLong::get)
                .tags(tags)
                .description("Optimizer steps the run takes")
                .strongReference(true)
                .register(registry);

        eval(registry, tags, EVAL_STEP, "Step of the latest evaluation (0: before training)", EvalMetrics::step);
        eval(registry, tags, EVAL_NLL, "Mean negative log-likelihood on the evaluation set", EvalMetrics::nll);
        eval(registry, tags, EVAL_DFT_LOSS, "DFT loss on the evaluation set", EvalMetrics::dftLoss);
        eval(
                registry,
                tags,
                EVAL_MEAN_TARGET_PROB,
                "Mean target-token probability on the evaluation set",
                EvalMetrics::meanTargetProb);
        eval(
                registry,
                tags,
                EVAL_LOW_PROB_TOKEN_RATIO,
                "Share of evaluation tokens with probability < 0.1",
                EvalMetrics::lowProbTokenRatio);
        eval(registry, tags, EVAL_TOKEN_ACCURACY, "Token accuracy on the evaluation set", EvalMetrics::tokenAccuracy);
        eval(
                registry,
                tags,
                EVAL_EXACT_MATCH,
                "Exact-match rate of greedy answers on the evaluation set",
                EvalMetrics::exactMatch);

        steps = Counter.builder(TRAIN_STEPS)
                .tags(tags)
                .description("Optimizer steps done by this process")
                .register(registry);
        tokens = Counter.builder(TRAIN_TOKENS)
                .tags(tags)
                .description("Response tokens trained on by this process")
                .register(registry);
        resumes = Counter.builder(RUN_RESUMES)
                .tags(tags)
                .description("Runs resumed from a checkpoint instead of starting from the base model")
                .register(registry);
        stepDuration = Timer.builder(TRAIN_STEP_DURATION)
                .tags(tags)
                .description("Wall-clock time of an optimizer step")
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

    private void train(
            MeterRegistry registry, Tags tags, String name, String help, ToDoubleFunction<StepMetrics> value) {
        Gauge.builder(name, latestStep, ref -> ref.get() == null ? Double.NaN : value.applyAsDouble(ref.get()))
                .tags(tags)
                .description(help)
                .strongReference(true)
                .register(registry);
    }

    private void eval(
            MeterRegistry registry, Tags tags, String name, String help, ToDoubleFunction<EvalMetrics> value) {
        Gauge.builder(name, latestEval, ref -> ref.get() == null ? Double.NaN : value.applyAsDouble(ref.get()))
                .tags(tags)
                .description(help)
                .strongReference(true)
                .register(registry);
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
        tokens.increment(m.responseTokens());
        stepDuration.record(Duration.ofNanos((long) (m.stepSeconds() * 1e9)));
    }

    @Override
    public void onEval(EvalMetrics m) {
        latestEval.set(m);
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        checkpointStep.set(step);
        checkpointWrite.record(Duration.ofNanos((long) (seconds * 1e9)));
    }
}
