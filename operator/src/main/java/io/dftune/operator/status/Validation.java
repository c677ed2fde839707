package io.dftune.operator.status;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.dftune.spec.SpecValidator;
import io.dftune.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What makes a FineTuneJob unrunnable: spec fields the Java types cannot hold ({@link
 * FineTuneJob#unboundFields}), the shared spec rules for a cluster ({@link
 * SpecValidator#validateForCluster}) and a name that can name the objects it owns. The CRD's
 * schema and CEL rules reject most of these at admission; this catches the rest and API servers
 * without validation.
 */
public final class Validation {
    private Validation() {}

    public static List<Violation> violations(FineTuneJob job) {
        List<Violation> violations = new ArrayList<>();
        ResourceNames.nameProblem(job.getMetadata().getName())
                .ifPresent(problem -> violations.add(new Violation("metadata.name", problem)));
        List<Violation> unbound = job.unboundFields();
        violations.addAll(unbound);
        // A field that could not be bound was left at its default: what the rules say of it adds nothing.
        SpecValidator.validateForCluster(job.getSpec()).stream()
                .filter(v -> unbound.stream().noneMatch(u -> within(v.field(), u.field())))
                .forEach(violations::add);
        return violations;
    }

    private static boolean within(String field, String unbound) {
        return field.equals(unbound) || field.startsWith(unbound + ".") || field.startsWith(unbound + "[");
    }

    /** One line: every violation, "field: message" separated by "; ". */
    public static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
