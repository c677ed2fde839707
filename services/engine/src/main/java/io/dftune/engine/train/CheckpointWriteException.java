package io.dftune.engine.train;

import java.io.UncheckedIOException;

/**
 * A checkpoint could not be written. Nothing of it is left behind, and the newest good checkpoint
 * is untouched; when space ran out, the message says how much a checkpoint needs and how much was
 * free.
 */
public final class CheckpointWriteException extends RuntimeException {
    CheckpointWriteException(String message, UncheckedIOException cause) {
        super(message, cause);
    }
}
