package io.dftune.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Collects violations while a spec is checked; the range checks word their messages uniformly. */
final class Violations {
    private final List<Violation> list = new ArrayList<>();

    void add(String field, String message) {
        list.add(new Violation(field, message));
    }

    List<Violation> toList() {
        return List.copyOf(list);
    }

    /** Adds "required" when value is null; returns whether it is present. */
    boolean present(String field, Object value) {
        if (value == null) {
            add(field, "required");
            return false;
        }
        return true;
    }

    /** A path that must be set, or may be absent when optional; either way not blank when set. */
    void path(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                add(field, "required");
            }
            return;
        }
        if (value.isBlank()) {
            add(field, "must not be blank");
            return;
        }
        StoragePaths.problem(value).ifPresent(problem -> add(field, problem));
    }

    /** An optional name: when set, it must match the pattern and fit in maxLength characters. */
    void name(String field, String value, String pattern, int maxLength, String what) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength || !value.matches(pattern)) {
            add(field, "must be " + what + ", at most " + maxLength + " characters (got \"" + value + "\")");
        }
    }

    /** An optional Kubernetes quantity; when set it must parse and be positive. */
    void quantity(String field, String value) {
        if (value != null) {
            Quantities.problem(value).ifPresent(problem -> add(field, problem));
        }
    }

    /** A Java regular expression that compiles. */
    void regex(String field, String value) {
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            add(
                    field,
                    "is not a valid regular expression: " + e.getDescription() + " at index " + e.getIndex() + " of \""
                            + value + "\"");
        }
    }

    boolean atLeast(String field, long value, long min) {
        if (value < min) {
            add(field, "must be >= " + min + " (got " + value + ")");
            return false;
        }
        return true;
    }

    void between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            add(field, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    /**
     * A finite number within bounds; an infinite max means no upper bound. NaN and infinities are
     * reported as such because they compare false against every bound.
     */
    void number(String field, double value, double min, boolean minInclusive, double max, boolean maxInclusive) {
        if (!Double.isFinite(value)) {
            add(field, "must be a finite number (got " + value + ")");
            return;
        }
        boolean aboveMin = minInclusive ? value >= min : value > min;
        boolean belowMax = Double.isInfinite(max) || (maxInclusive ? value <= max : value < max);
        if (aboveMin && belowMax) {
            return;
        }
        String lower = (minInclusive ? ">= " : "> ") + format(min);
        String bound = Double.isInfinite(max) ? lower : lower + " and " + (maxInclusive ? "<= " : "< ") + format(max);
        add(field, "must be " + bound + " (got " + format(value) + ")");
    }

    private static String format(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
