package io.dftune.engine.data;

/** What is wrong with one record; {@link JsonlDataset} adds the file and line. */
final class RecordException extends RuntimeException {
    RecordException(String message) {
        super(message);
    }

    RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
