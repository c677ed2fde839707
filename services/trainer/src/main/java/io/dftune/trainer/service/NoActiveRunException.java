package io.dftune.trainer.service;

/** The request needs a run (started, or still running) that this process does not have. */
public final class NoActiveRunException extends IllegalStateException {
    public NoActiveRunException(String message) {
        super(message);
    }
}
