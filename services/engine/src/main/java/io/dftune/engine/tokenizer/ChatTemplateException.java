package io.dftune.engine.tokenizer;

/** A chat template could not be rendered, or it rejected the conversation via {@code raise_exception}. */
public class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
