package io.dftune.engine.data;

/** What is wrong with one record; {@link DatasetLoader} adds the file and where the record is. */
final class RecordException extends RuntimeException {
    RecordException(String message) {
        super(message);
    }

    RecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
