package io.dftune.trainer.service;

import java.util.OptionalDouble;

/**
 * Seconds left, from the wall-clock time between consecutive steps (so evaluations and
 * checkpoints count), smoothed exponentially so one slow step does not swing the estimate.
 */
final class EtaEstimator {
    private static final double SMOOTHING = 0.1;
    private static final int MIN_INTERVALS = 2;

    private long lastNanos = -1;
    private double secondsPerStep;
    private int intervals;

    /** Records that {@code step} of {@code totalSteps} just finished at {@code nanos}. */
    OptionalDouble onStep(long step, long totalSteps, long nanos) {
        if (lastNanos >= 0) {
            double seconds = (nanos - lastNanos) / 1e9;
            secondsPerStep = intervals == 0 ? seconds : SMOOTHING * seconds + (1 - SMOOTHING) * secondsPerStep;
            intervals++;
        }
        lastNanos = nanos;
        if (intervals < MIN_INTERVALS) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, totalSteps - step) * secondsPerStep);
    }
}
