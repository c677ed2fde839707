package io.dftune.engine.optim;

import io.dftune.spec.Schedule;

/**
 * Linear warmup from 0 over {@code ceil(warmupRatio * totalSteps)} steps, then constant, linear
 * decay to 0, or cosine decay to 0 (the shapes of Hugging Face's schedulers of the same names).
 */
public final class LearningRateSchedule {
    private final Schedule shape;
    private final double peak;
    private final long totalSteps;
    private final long warmupSteps;

    public LearningRateSchedule(Schedule shape, double peak, long totalSteps, double warmupRatio) {
        this.shape = shape;
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = (long) Math.ceil(warmupRatio * totalSteps);
    }

    /** Learning rate for the optimizer step with 0-based index {@code step}. */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double decayFraction = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return switch (shape) {
            case CONSTANT -> peak;
            case LINEAR -> peak * Math.max(0.0, 1.0 - decayFraction);
            case COSINE -> peak * 0.5 * (1.0 + Math.cos(Math.PI * Math.min(1.0, decayFraction)));
        };
    }

    public long warmupSteps() {
        return warmupSteps;
    }
}
