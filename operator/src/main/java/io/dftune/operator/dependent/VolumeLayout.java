package io.dftune.operator.dependent;

import io.dftune.operator.api.ClaimPaths;
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
 * The volumes of the claims named by the run fields' {@code pvc://<claim>/<path>} values: each
 * claim once, mounted where {@link ClaimPaths} says, read-only unless the output is on it.
 */
public final class VolumeLayout {
    private record Claim(String volume, boolean writable) {}

    private final Map<String, Claim> claims = new LinkedHashMap<>();

    private VolumeLayout() {}

    /** The layout of a valid spec (its pvc:// values parse). */
    public static VolumeLayout of(FineTuneJobSpec spec) {
        VolumeLayout layout = new VolumeLayout();
        RunFields.pvcPaths(RunFields.of(spec)).forEach(path -> layout.add(path, false));
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
                .withMountPath(ClaimPaths.mountPath(claim))
                .withReadOnly(!c.writable())
                .build()));
        return mounts;
    }
}
