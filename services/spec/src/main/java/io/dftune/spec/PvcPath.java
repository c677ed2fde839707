package io.dftune.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code pvc://<claim>/<path>} value. {@code subPath} is relative, without empty or "."
 * segments, and empty for the claim's root, so it can be used as a volume mount's subPath as is.
 */
public record PvcPath(String claim, String subPath) {
    private static final int MAX_CLAIM_LENGTH = 253;

    public static PvcPath parse(String value) {
        if (!StoragePaths.isPvc(value)) {
            throw new IllegalArgumentException("not a pvc:// path: \"" + value + "\"");
        }
        String rest = value.substring(StoragePaths.PVC_PREFIX.length());
        int slash = rest.indexOf('/');
        String claim = slash < 0 ? rest : rest.substring(0, slash);
        if (claim.isEmpty()) {
            throw new IllegalArgumentException("pvc:// needs a claim name: pvc://<claim>/<path>");
        }
        if (claim.length() > MAX_CLAIM_LENGTH
                || !StoragePaths.CLAIM.matcher(claim).matches()) {
            throw new IllegalArgumentException("claim name \"" + claim + "\" in \"" + value
                    + "\" is not a valid DNS-1123 subdomain (lowercase letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit, at most 253 characters)");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : (slash < 0 ? "" : rest.substring(slash + 1)).split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException("path inside the claim must not contain '..': \"" + value + "\"");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return new PvcPath(claim, String.join("/", segments));
    }

    @Override
    public String toString() {
        return StoragePaths.PVC_PREFIX + claim + (subPath.isEmpty() ? "" : "/" + subPath);
    }
}
