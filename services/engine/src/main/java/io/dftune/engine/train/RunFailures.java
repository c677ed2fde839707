package io.dftune.engine.train;

import io.dftune.engine.plan.DoesNotFitException;
import io.dftune.spec.run.ExitCodes;

/** The exit code that reports a run that ended with an exception. */
public final class RunFailures {
    private RunFailures() {}

    public static int exitCode(Throwable failure) {
        return failure instanceof DoesNotFitException ? ExitCodes.DOES_NOT_FIT : ExitCodes.FAILED;
    }
}
