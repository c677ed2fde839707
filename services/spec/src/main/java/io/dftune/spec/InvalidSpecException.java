package io.dftune.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A well-formed spec that breaks validation rules; carries every violation, not just the first. */
public class InvalidSpecException extends SpecException {
    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        this(null, violations);
    }

    /** @param source where the spec came from (a file name), or null */
    public InvalidSpecException(String source, List<Violation> violations) {
        super(format(source, violations));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> getViolations() {
        return violations;
    }

    private static String format(String source, List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidSpecException needs at least one violation");
        }
        String prefix = source == null ? "" : source + ": ";
        return prefix + "invalid spec: "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
