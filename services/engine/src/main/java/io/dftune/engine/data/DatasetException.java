package io.dftune.engine.data;

/**
 * A dataset file cannot be used. Messages name the file and, for a bad record, the line:
 * {@code data/train.jsonl line 17: missing required key "response"}.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
