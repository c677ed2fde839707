package io.dftune.engine.train;

/** How a run ended. Cancelled and preempted runs leave a checkpoint to resume from. */
public enum RunOutcome {
    SUCCEEDED,
    CANCELLED,
    PREEMPTED
}
