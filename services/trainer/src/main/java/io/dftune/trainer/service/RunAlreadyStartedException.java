package io.dftune.trainer.service;

/** A second run was asked of a process that already has one. */
public final class RunAlreadyStartedException extends IllegalStateException {
    public RunAlreadyStartedException(String message) {
        super(message);
    }
}
