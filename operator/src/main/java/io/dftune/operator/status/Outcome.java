package io.dftune.operator.status;

/** What became of a trainer attempt (one batch Job and its pod). */
public enum Outcome {
    /** The Job waits for Kueue to admit it (it is suspended). */
    QUEUED,
    /** No pod yet, or the pod is not running yet. */
    STARTING,
    RUNNING,
    SUCCEEDED,
    /** The trainer exited 3: someone called CancelRun. Final. */
    CANCELLED,
    /** Stopped from outside (SIGTERM exit 75, eviction, disruption, pod lost): resumed without counting a failure. */
    PREEMPTED,
    /** The trainer exited 4: its memory plan does not fit the memory it has. Final: a retry would fail the same way. */
    DOES_NOT_FIT,
    /** The trainer failed; counted against backoffLimit. */
    FAILED
}
