package io.dftune.engine.train;

/**
 * What a checkpoint records besides weights and optimizer moments. The data position is the
 * step itself: the example order is a pure function of seed, epoch and step, so a resumed run
 * sees exactly the examples an uninterrupted one would.
 */
public record TrainerState(long step, long totalSteps, long seed, String objective, long examplesSeen) {}
