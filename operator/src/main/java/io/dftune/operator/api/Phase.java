package io.dftune.operator.api;

/** Where a FineTuneJob stands. Succeeded and Failed are final (except Failed for an invalid spec, which a fix leaves). */
public enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Suspended;

    public boolean isFinished() {
        return this == Succeeded || this == Failed;
    }
}
