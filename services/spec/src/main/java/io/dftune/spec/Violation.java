package io.dftune.spec;

import java.io.Serializable;
import java.util.Objects;

/** One broken rule: the field's path in the manifest (e.g. {@code spec.training.batchSize}) and why. */
public record Violation(String field, String message) implements Serializable {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
