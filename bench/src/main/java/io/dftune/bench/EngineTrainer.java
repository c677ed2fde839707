package io.dftune.bench;

import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.optim.AdamW;
import io.dftune.engine.optim.AdamWSettings;
import io.dftune.engine.train.GradientStep;
import java.util.List;

/**
 * One optimizer step exactly as the trainer runs it ({@link GradientStep}: forward, chunked loss,
 * backward, global-norm clipping; then {@link AdamW}), timed.
 */
final class EngineTrainer {
    static final AdamWSettings ADAMW = new AdamWSettings(0.9, 0.95, 1e-8, 0.01);
    static final double LEARNING_RATE = 1e-4;

    private final GradientStep gradientStep;
    private final AdamW optimizer;
    private TokenStats lastStats;

    EngineTrainer(CausalLm model, Objective objective) {
        this.gradientStep =
                new GradientStep(model, null, new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS), objective, 1.0);
        this.optimizer = new AdamW(model.parameters(), model.manager().newSubManager(), ADAMW);
    }

    /** Runs one step and returns its wall time in seconds. */
    double step(List<Batch> microBatches) {
        long started = System.nanoTime();
        GradientStep.Result result = gradientStep.compute(microBatches, 0.5);
        optimizer.step(LEARNING_RATE);
        lastStats = result.stats();
        return (System.nanoTime() - started) / 1e9;
    }

    /** Forward, loss and backward only, without the optimizer; returns the result. */
    GradientStep.Result gradients(List<Batch> microBatches) {
        return gradientStep.compute(microBatches, 0.5);
    }

    TokenStats lastStats() {
        return lastStats;
    }
}
