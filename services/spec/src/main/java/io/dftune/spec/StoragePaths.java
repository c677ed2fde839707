package io.dftune.spec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two kinds of path a spec may hold: a local filesystem path, or {@code pvc://<claim>/<path>}
 * naming a location inside a PersistentVolumeClaim. Any other {@code scheme://} is rejected.
 */
public final class StoragePaths {
    public static final String PVC_SCHEME = "pvc";
    public static final String PVC_PREFIX = PVC_SCHEME + "://";

    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    // "Does not start with scheme://", spelled without look-ahead because Kubernetes evaluates
    // CRD patterns with Go's RE2.
    private static final String LOCAL =
            "[^A-Za-z].*|[A-Za-z][A-Za-z0-9+.-]*([^A-Za-z0-9+.:-].*|:([^/].*|/([^/].*)?)?)?";

    /**
     * Schema pattern for path fields (CRD). Coarser than {@link #problem(String)}, which stays the
     * authority: it accepts everything that check accepts.
     */
    public static final String PATTERN = "^(pvc://" + DNS_SUBDOMAIN + "(/.*)?|" + LOCAL + ")$";

    static final Pattern CLAIM = Pattern.compile(DNS_SUBDOMAIN);
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

    private StoragePaths() {}

    /** True when the value names a location in a PersistentVolumeClaim. */
    public static boolean isPvc(String value) {
        return value != null && value.startsWith(PVC_PREFIX);
    }

    /** True when the value is a filesystem path (possibly relative), not a {@code scheme://} reference. */
    public static boolean isLocal(String value) {
        return value != null && !SCHEME.matcher(value).find();
    }

    /** Why a non-blank path value is unusable, or empty when it is fine. */
    static Optional<String> problem(String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        Matcher scheme = SCHEME.matcher(value);
        if (!scheme.find()) {
            return Optional.empty();
        }
        if (!scheme.group(1).equals(PVC_SCHEME)) {
            return Optional.of(
                    "unsupported scheme \"" + scheme.group(1) + "://\"; use a local path or pvc://<claim>/<path>");
        }
        try {
            PvcPath.parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
