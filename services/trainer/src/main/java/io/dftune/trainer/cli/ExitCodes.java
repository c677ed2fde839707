package io.dftune.trainer.cli;

import io.dftune.engine.train.RunOutcome;

/**
 * Process exit codes. A supervisor (Kubernetes, a shell script) tells from them alone whether to
 * restart: {@link #PREEMPTED} means a checkpoint was written and a restart resumes.
 */
public final class ExitCodes {
    public static final int SUCCEEDED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CANCELLED = 3;
    /** sysexits' EX_TEMPFAIL: stopped by a signal after writing a checkpoint; restart to resume. */
    public static final int PREEMPTED = 75;

    public static int of(RunOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> SUCCEEDED;
            case CANCELLED -> CANCELLED;
            case PREEMPTED -> PREEMPTED;
        };
    }

    private ExitCodes() {}
}
