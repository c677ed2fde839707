package io.dftune.trainer.service;

/** A checkpoint was named that the run's output directory does not hold. */
public final class NoSuchCheckpointException extends RuntimeException {
    public NoSuchCheckpointException(String message) {
        super(message);
    }
}
