package io.dftune.spec;

/** Base of every error this module reports about a job: catch this to report any of them. */
public abstract class SpecException extends RuntimeException {
    protected SpecException(String message) {
        super(message);
    }

    protected SpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
