package io.dftune.spec;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * File sizes as Hugging Face's {@code max_shard_size} takes them: an integer number of bytes, or
 * an integer with a decimal ({@code KB}, {@code MB}, {@code GB}: powers of 1000) or binary
 * ({@code KiB}, {@code MiB}, {@code GiB}: powers of 1024) unit, e.g. {@code 5GB}, {@code 500MB}.
 * A lower-case {@code b} (which transformers reads as bits) is not accepted.
 */
public final class ByteSizes {
    /** The grammar, also the CRD's pattern. */
    public static final String PATTERN = "^[0-9]{1,15}([KMG]i?B)?$";

    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile(PATTERN);

    private ByteSizes() {}

    /** Why the value is not a positive size, or empty when it is one. */
    public static Optional<String> problem(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            return Optional.of("must be a size such as 5GB, 500MB, 2GiB or a number of bytes (got \"" + value + "\")");
        }
        if (parse(value) == 0) {
            return Optional.of("must be greater than 0 (got \"" + value + "\")");
        }
        return Optional.empty();
    }

    /**
     * The number of bytes.
     *
     * @throws IllegalArgumentException the value does not match {@link #PATTERN}
     */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size such as 5GB, 500MB or 2GiB: \"" + value + "\"");
        }
        String unit = m.group(1);
        long number = Long.parseLong(unit == null ? value : value.substring(0, value.length() - unit.length()));
        long multiplier = unit == null
                ? 1
                : switch (unit) {
                    case "KB" -> 1_000L;
                    case "MB" -> 1_000_000L;
                    case "GB" -> 1_000_000_000L;
                    case "KiB" -> 1L << 10;
                    case "MiB" -> 1L << 20;
                    case "GiB" -> 1L << 30;
                    default -> throw new IllegalStateException(unit);
                };
        return Math.multiplyExact(number, multiplier);
    }
}
