package io.dftune.engine.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.EpochSampler;
import io.dftune.engine.data.StepBatcher;
import io.dftune.engine.data.TrainingExample;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.eval.Evaluator;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.model.SaveFormat;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.optim.AdamW;
import io.dftune.engine.optim.AdamWSettings;
import io.dftune.engine.optim.LearningRateSchedule;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.TrainingSpec;
import io.dftune.spec.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The training loop of one FineTuneJob: resumes from the newest valid checkpoint, runs optimizer
 * steps (micro-batches, loss normalised over the whole step, global-norm clipping, AdamW on a
 * schedule), evaluates, checkpoints, and writes {@code final/} last, only on success.
 *
 * <p>A stop request (from any thread, through {@link LaunchedRun#requestStop}) lets the current step
 * finish; a checkpoint is written and {@link #run} returns.
 */
final class FineTuneRun {
    private final FineTuneJobSpec spec;
    private final TrainingResources resources;
    private final Objective objective;
    private final ResponseLoss responseLoss;
    private final StopRequest stop;

    FineTuneRun(
            FineTuneJobSpec spec,
            TrainingResources resources,
            Objective objective,
            ResponseLoss responseLoss,
            StopRequest stop) {
        this.spec = spec;
        this.resources = resources;
        this.objective = objective;
        this.responseLoss = responseLoss;
        this.stop = stop;
    }

    RunResult run(TrainingListener listener) {
        // libtorch's grad mode is per thread and on by default; DJL switches it off only on the
        // thread that started the engine, and the optimizer's in-place updates need it off.
        JniUtils.setGradMode(false);
        TrainingSpec training = spec.getTraining();
        RunDirectory output = RunDirectory.of(spec.getOutput().getPath());
        List<TrainingExample> train = resources.train().examples();
        TrainingPlan plan = TrainingPlan.of(training, train.size());
        CheckpointStore checkpoints =
                new CheckpointStore(output, spec.getCheckpoint().getKeep(), SaveFormat.checkpoint(spec.getOutput()));
        CausalLm model = resources.model();
        NDManager root = model.manager();
        model.setTrainable(true);

        AdamW optimizer = new AdamW(
                model.trainableParameters(),
                root.newSubManager(),
                new AdamWSettings(
                        training.getAdamBeta1(),
                        training.getAdamBeta2(),
                        training.getAdamEpsilon(),
                        training.getWeightDecay()));
        long startStep = resources
                .resumedFrom()
                .map(c -> {
                    checkpoints.restoreOptimizer(c, optimizer, root);
                    return c.state().step();
                })
                .orElse(0L);
        LearningRateSchedule schedule = new LearningRateSchedule(
                training.getSchedule(), training.getLearningRate(), plan.totalSteps(), training.getWarmupRatio());
        EpochSampler sampler = new EpochSampler(
                train.size(),
                plan.epochsSpanned(),
                training.getSeed(),
                spec.getData().isShuffle());
        StepBatcher batcher = StepBatcher.of(
                train,
                resources.tokenizer().padId(),
                plan.microBatchSize(),
                training.isPacking(),
                training.getMaxLength());
        Evaluator evaluator = new Evaluator(
                responseLoss,
                resources.tokenizer(),
                plan.microBatchSize(),
                training.getEvalMaxExamples(),
                spec.getEval(),
                spec.getData().getAnswerMarker());
        Path companions = Path.of(spec.getModel().getPath());
        GradientStep gradientStep = new GradientStep(
                model,
                resources.reference().orElse(null),
                responseLoss,
                objective,
                training.getMaxGradNorm(),
                training.isGradientCheckpointing());

        listener.onStart(plan, startStep);
        try (MetricsLog metrics = new MetricsLog(output.metricsFile(), startStep)) {
            if (startStep == 0) {
                evaluate(evaluator, model, 0, metrics, listener);
            }
            long lastCheckpoint = startStep;
            long step = startStep;
            while (step < plan.totalSteps()) {
                StepMetrics stepMetrics = trainStep(gradientStep, optimizer, schedule, sampler, batcher, plan, step);
                step++;
                metrics.append(stepMetrics);
                listener.onStep(stepMetrics);
                boolean last = step == plan.totalSteps();
                if (!last && training.getEvalEverySteps() > 0 && step % training.getEvalEverySteps() == 0) {
                    evaluate(evaluator, model, step, metrics, listener);
                }
                int every = spec.getCheckpoint().getEverySteps();
                boolean stopping = stop.reason().isPresent() && !last;
                if ((every > 0 && step % every == 0) || stopping) {
                    checkpoint(checkpoints, model, companions, optimizer, plan, step, listener);
                    lastCheckpoint = step;
                }
                if (stopping) {
                    RunResult stopped = new RunResult(stop.reason().get(), step, plan.totalSteps(), null, null);
                    listener.onFinish(stopped);
                    return stopped;
                }
            }
            Optional<EvalMetrics> finalEval = evaluate(evaluator, model, step, metrics, listener);
            if (lastCheckpoint != step && spec.getCheckpoint().getEverySteps() > 0) {
                checkpoint(checkpoints, model, companions, optimizer, plan, step, listener);
            }
            Path finalDir = output.finalModel();
            SaveFormat finalFormat = SaveFormat.finalModel(spec.getOutput(), companions);
            AtomicDirectory.write(finalDir, dir -> {
                ModelDirectory.save(model, companions, dir, finalFormat);
                if (spec.getOutput().isMergeAdapter()) {
                    // From here on the model computes with the merged weights (for Generate, too).
                    model.mergeAdapter();
                    Path merged = dir.resolve(RunDirectory.MERGED_MODEL);
                    Files.createDirectories(merged);
                    ModelDirectory.save(model, companions, merged, finalFormat);
                }
            });
            RunResult result =
                    new RunResult(RunOutcome.SUCCEEDED, step, plan.totalSteps(), finalEval.orElse(null), finalDir);
            listener.onFinish(result);
            return result;
        }
    }

    private StepMetrics trainStep(
            GradientStep gradientStep,
            AdamW optimizer,
            LearningRateSchedule schedule,
            EpochSampler sampler,
            StepBatcher batcher,
            TrainingPlan plan,
            long step) {
        long started = System.nanoTime();
        List<Batch> microBatches = batcher.microBatches(sampler.stepIndices(step, plan.batchSize()));
        long inputTokens = microBatches.stream().mapToLong(Batch::tokenCount).sum();
        // Seeded by the step, so a resumed run draws the same dropout as an uninterrupted one.
        long seed = spec.getTraining().getSeed() * 1_000_003L + step;
        GradientStep.Result gradients = gradientStep.compute(microBatches, (double) step / plan.totalSteps(), seed);
        TokenStats stats = gradients.stats();
        double gradNorm = gradients.gradNorm();
        if (!Double.isFinite(stats.objectiveLoss()) || !Double.isFinite(gradNorm)) {
            throw new NonFiniteLossException(String.format(
                    "training stopped at step %d: loss %s, gradient norm %s; the weights were not updated with it "
                            + "and the newest checkpoint is kept (try a lower spec.training.learningRate)",
                    step + 1, stats.objectiveLoss(), gradNorm));
        }
        double learningRate = schedule.at(step);
        optimizer.step(learningRate);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new StepMetrics(
                step + 1,
                plan.totalSteps(),
                plan.epochAt(step + 1),
                stats.objectiveLoss(),
                stats.nll(),
                stats.meanTargetProbability(),
                stats.lowProbabilityRatio(),
                stats.tokenAccuracy(),
                learningRate,
                gradNorm,
                inputTokens / seconds,
                stats.tokens(),
                seconds);
    }

    private Optional<EvalMetrics> evaluate(
            Evaluator evaluator, CausalLm model, long step, MetricsLog metrics, TrainingListener listener) {
        if (resources.eval().isEmpty()) {
            return Optional.empty();
        }
        listener.onEvalStart(step);
        EvalMetrics result = evaluator.evaluate(model, resources.eval().get().examples(), step);
        metrics.append(result);
        listener.onEval(result);
        return Optional.of(result);
    }

    private void checkpoint(
            CheckpointStore checkpoints,
            CausalLm model,
            Path companions,
            AdamW optimizer,
            TrainingPlan plan,
            long step,
            TrainingListener listener) {
        long started = System.nanoTime();
        TrainerState state = new TrainerState(
                step, plan.totalSteps(), spec.getTraining().getSeed(), objective.name(), step * plan.batchSize());
        Path dir = checkpoints.save(model, companions, optimizer, state);
        listener.onCheckpoint(step, dir, (System.nanoTime() - started) / 1e9);
    }
}
