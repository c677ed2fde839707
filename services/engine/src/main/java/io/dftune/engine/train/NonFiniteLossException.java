package io.dftune.engine.train;

/** Training produced a NaN or infinite loss or gradient; the weights were not updated with it. */
public final class NonFiniteLossException extends RuntimeException {
    public NonFiniteLossException(String message) {
        super(message);
    }
}
