package io.dftune.engine.train;

import io.dftune.spec.TrainingSpec;

/**
 * How many optimizer steps a run takes and how each step is split: {@code batchSize} examples
 * per optimizer step in micro-batches of {@code microBatchSize} (examples, or with packing rows of
 * {@code maxLength} tokens). With {@code maxSteps > 0} that
 * fixes the length; otherwise {@code epochs} passes over the training set, rounded up to whole
 * steps.
 */
public record TrainingPlan(long totalSteps, int batchSize, int microBatchSize, int trainExamples) {

    public static TrainingPlan of(TrainingSpec training, int trainExamples) {
        int batch = training.getBatchSize();
        long steps = training.getMaxSteps() > 0
                ? training.getMaxSteps()
                : (long) Math.ceil(training.getEpochs() * (double) trainExamples / batch);
        return new TrainingPlan(Math.max(1, steps), batch, training.getMicroBatchSize(), trainExamples);
    }

    /** Whole epochs the run's examples reach into (the last may be partial). */
    public int epochsSpanned() {
        return Math.toIntExact(Math.max(1, (totalSteps * batchSize + trainExamples - 1) / trainExamples));
    }

    public double epochAt(long stepsDone) {
        return (double) stepsDone * batchSize / trainExamples;
    }
}
