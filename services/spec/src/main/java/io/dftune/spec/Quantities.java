package io.dftune.spec;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;

/** Kubernetes resource quantities ({@code 500m}, {@code 2}, {@code 8Gi}, {@code 1e3}). */
final class Quantities {
    /** The quantity grammar of the Kubernetes API (number, then a binary or decimal suffix or an exponent). */
    static final String PATTERN =
            "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$";

    private static final java.util.regex.Pattern QUANTITY = java.util.regex.Pattern.compile(PATTERN);

    private Quantities() {}

    /** Why the value is not a positive quantity, or empty when it is one. */
    static Optional<String> problem(String value) {
        Matcher m = QUANTITY.matcher(value);
        if (!m.matches()) {
            return Optional.of("must be a Kubernetes quantity such as 500m, 2 or 8Gi (got \"" + value + "\")");
        }
        if (new BigDecimal(m.group(1)).signum() == 0) {
            return Optional.of("must be greater than 0 (got \"" + value + "\")");
        }
        return Optional.empty();
    }
}
