package io.dftune.operator.api;

import io.dftune.spec.PvcPath;
import io.dftune.spec.StoragePaths;

/**
 * Where a trainer pod sees the claims named by {@code pvc://<claim>/<path>} values: each claim at
 * {@code /mnt/pvc/<claim>}, so {@code pvc://data/sets/train.jsonl} is
 * {@code /mnt/pvc/data/sets/train.jsonl} inside the pod, and back. Local paths stay as they are
 * (files in the image).
 */
public final class ClaimPaths {
    public static final String ROOT = "/mnt/pvc";

    private ClaimPaths() {}

    public static String mountPath(String claim) {
        return ROOT + "/" + claim;
    }

    /** The path inside the pod of a spec path value; null stays null. */
    public static String podPath(String specPath) {
        if (!StoragePaths.isPvc(specPath)) {
            return specPath;
        }
        PvcPath pvc = PvcPath.parse(specPath);
        String mount = mountPath(pvc.claim());
        return pvc.subPath().isEmpty() ? mount : mount + "/" + pvc.subPath();
    }

    /** The spec's name for a path inside the pod: {@code /mnt/pvc/<claim>/x} is {@code pvc://<claim>/x}. */
    public static String specPath(String podPath) {
        String prefix = ROOT + "/";
        return podPath != null && podPath.startsWith(prefix)
                ? StoragePaths.PVC_PREFIX + podPath.substring(prefix.length())
                : podPath;
    }
}
