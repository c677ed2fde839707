package io.dftune.engine.train;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.StepBatcher;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.optim.GradientClipping;
import java.util.List;

/**
 * The gradient half of one optimizer step: drops the previous gradients, runs forward and backward over
 * every micro-batch with the loss normalised by the step's response-token count, and clips the
 * global gradient norm. The caller checks the result and applies the optimizer.
 */
public final class GradientStep {
    private final CausalLm model;
    private final CausalLm reference;
    private final ResponseLoss loss;
    private final Objective objective;
    private final double maxGradNorm;
    private final boolean checkpointing;

    /** The step's token statistics and the global gradient norm before clipping. */
    public record Result(TokenStats stats, double gradNorm) {}

    /**
     * @param reference the frozen start model for objectives that need one, else null
     * @param maxGradNorm clip the global norm to this; {@code <= 0} only measures it
     */
    public GradientStep(
            CausalLm model, CausalLm reference, ResponseLoss loss, Objective objective, double maxGradNorm) {
        this(model, reference, loss, objective, maxGradNorm, false);
    }

    /** @param checkpointing recompute each layer in backward instead of keeping its activations */
    public GradientStep(
            CausalLm model,
            CausalLm reference,
            ResponseLoss loss,
            Objective objective,
            double maxGradNorm,
            boolean checkpointing) {
        this.checkpointing = checkpointing;
        this.model = model;
        this.reference = reference;
        this.loss = loss;
        this.objective = objective;
        this.maxGradNorm = maxGradNorm;
    }

    public Result compute(List<Batch> microBatches, double progress) {
        return compute(microBatches, progress, 0);
    }

    /** @param seed what the adapter's dropout draws from in this step (each micro-batch its own part) */
    public Result compute(List<Batch> microBatches, double progress, long seed) {
        long stepTokens = StepBatcher.responseTokenCount(microBatches);
        model.releaseGradients();
        ResponseLoss.Step step =
                new ResponseLoss.Step(model, reference, objective, stepTokens, progress, checkpointing, seed);
        TokenStats stats = new TokenStats();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            for (int i = 0; i < microBatches.size(); i++) {
                stats.add(loss.forwardBackward(step.withSeed(seed * 4099 + i), microBatches.get(i), collector));
            }
        }
        double gradNorm = GradientClipping.clip(model.trainableParameters().values(), maxGradNorm, model.manager());
        return new Result(stats, gradNorm);
    }
}
