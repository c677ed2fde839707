package io.dftune.operator.status;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.dftune.spec.SpecValidator;
import io.dftune.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What makes a FineTuneJob unrunnable: the shared spec rules for a cluster ({@link
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
        violations.addAll(SpecValidator.validateForCluster(job.getSpec()));
        return violations;
    }

    /** One line: every violation, "field: message" separated by "; ". */
    public static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
