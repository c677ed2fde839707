package io.dftune.spec;

/**
 * A job file or text that cannot be turned into a FineTuneJob: unreadable, not YAML, unknown
 * fields, wrong types, wrong apiVersion or kind. The message names the source, line and field.
 */
public class ManifestException extends SpecException {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
