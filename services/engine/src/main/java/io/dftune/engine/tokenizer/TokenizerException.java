package io.dftune.engine.tokenizer;

/** A model's tokenizer files are missing, unreadable or inconsistent. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
