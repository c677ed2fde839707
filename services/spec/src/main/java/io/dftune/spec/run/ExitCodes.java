package io.dftune.spec.run;

/**
 * Exit codes of {@code dftune run} and the trainer pod. A supervisor (Kubernetes and the operator,
 * a shell script) tells from them alone whether to restart: {@link #PREEMPTED} means a checkpoint
 * was written and a restart resumes.
 */
public final class ExitCodes {
    public static final int SUCCEEDED = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CANCELLED = 3;
    /** The run's memory plan exceeds the memory it has: a retry cannot help, the job must change. */
    public static final int DOES_NOT_FIT = 4;

    /** sysexits' EX_TEMPFAIL: stopped by a signal after writing a checkpoint; restart to resume. */
    public static final int PREEMPTED = 75;

    private ExitCodes() {}
}
