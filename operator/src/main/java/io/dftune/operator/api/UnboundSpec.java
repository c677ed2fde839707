package io.dftune.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.Violation;
import java.util.List;

/**
 * The spec of a FineTuneJob some of whose fields the Java types cannot hold ({@code
 * objective.type: bogus}, {@code training.maxSteps: "ten"}, a field this operator does not know):
 * the fields that did bind, which fields did not and why, and the spec as the API server holds it.
 * It is written back exactly as it was read, so the operator never rewrites a spec it could not
 * read (status updates and finalizer patches carry it unchanged) and a copy reads the same.
 */
public class UnboundSpec extends FineTuneJobSpec {
    @JsonIgnore
    private JsonNode asRead;

    @JsonIgnore
    private List<Violation> violations = List.of();

    UnboundSpec with(JsonNode asRead, List<Violation> violations) {
        this.asRead = asRead;
        this.violations = List.copyOf(violations);
        return this;
    }

    /** One per field that could not be bound, naming the field and the value. */
    public List<Violation> violations() {
        return violations;
    }

    @JsonValue
    JsonNode asRead() {
        return asRead;
    }
}
