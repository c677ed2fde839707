package io.dftune.trainer.service;

/** More Generate calls wait than the trainer allows ({@code dftune.generate.max-waiting}); retry later. */
public final class GenerationsBusyException extends RuntimeException {
    GenerationsBusyException(String message) {
        super(message);
    }
}
