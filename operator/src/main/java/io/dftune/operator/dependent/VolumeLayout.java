package io.dftune.operator.dependent;

import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.PvcPath;
import io.dftune.spec.StoragePaths;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the claims named by {@code pvc://<claim>/<path>} values are mounted in the trainer pod:
 * each claim once, at {@code /mnt/pvc/<claim>}, read-only unless the output is on it. A spec path
 * {@code pvc://data/sets/train.jsonl} becomes {@code /mnt/pvc/data/sets/train.jsonl} in the
 * manifest the trainer reads. Local paths stay as they are (files in the image).
 */
public final class VolumeLayout {
    public static final String PVC_ROOT = "/mnt/pvc";

    private record Claim(String volume, boolean writable) {}

    private final Map<String, Claim> claims = new LinkedHashMap<>();

    private VolumeLayout() {}

    /** The layout of a valid spec (its pvc:// values parse). */
    public static VolumeLayout of(FineTuneJobSpec spec) {
        VolumeLayout layout = new VolumeLayout();
        layout.add(spec.getModel().getPath(), false);
        layout.add(spec.getData().getTrain(), false);
        layout.add(spec.getData().getEval(), false);
        layout.add(spec.getOutput().getPath(), true);
        return layout;
    }

    private void add(String path, boolean writable) {
        if (!StoragePaths.isPvc(path)) {
            return;
        }
        String claim = PvcPath.parse(path).claim();
        Claim known = claims.get(claim);
        claims.put(
                claim,
                new Claim(
                        known != null ? known.volume() : "pvc-" + claims.size(),
                        writable || (known != null && known.writable())));
    }

    /** The path inside the pod of a spec path value; null stays null. */
    public String podPath(String specPath) {
        if (!StoragePaths.isPvc(specPath)) {
            return specPath;
        }
        PvcPath pvc = PvcPath.parse(specPath);
        String mount = mountPath(pvc.claim());
        return pvc.subPath().isEmpty() ? mount : mount + "/" + pvc.subPath();
    }

    /** The spec's name for a path inside the pod: {@code /mnt/pvc/<claim>/x} is {@code pvc://<claim>/x}. */
    public static String specPath(String podPath) {
        String prefix = PVC_ROOT + "/";
        return podPath != null && podPath.startsWith(prefix)
                ? StoragePaths.PVC_PREFIX + podPath.substring(prefix.length())
                : podPath;
    }

    public static String mountPath(String claim) {
        return PVC_ROOT + "/" + claim;
    }

    public List<Volume> volumes() {
        List<Volume> volumes = new ArrayList<>();
        claims.forEach((claim, c) -> volumes.add(new VolumeBuilder()
                .withName(c.volume())
                .withNewPersistentVolumeClaim(claim, !c.writable())
                .build()));
        return volumes;
    }

    public List<VolumeMount> mounts() {
        List<VolumeMount> mounts = new ArrayList<>();
        claims.forEach((claim, c) -> mounts.add(new VolumeMountBuilder()
                .withName(c.volume())
                .withMountPath(mountPath(claim))
                .withReadOnly(!c.writable())
                .build()));
        return mounts;
    }
}
