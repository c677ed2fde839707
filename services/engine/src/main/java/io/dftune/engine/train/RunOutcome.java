package io.dftune.engine.train;

import io.dftune.spec.run.ExitCodes;

/** How a run ended. Cancelled and preempted runs leave a checkpoint to resume from. */
public enum RunOutcome {
    SUCCEEDED(ExitCodes.SUCCEEDED),
    CANCELLED(ExitCodes.CANCELLED),
    PREEMPTED(ExitCodes.PREEMPTED);

    private final int exitCode;

    RunOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code that reports this outcome. */
    public int exitCode() {
        return exitCode;
    }
}
