package io.dftune.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local folders standing in for PersistentVolumeClaims, so a FineTuneJob written for a cluster runs
 * on a laptop: with {@code models=/data/models}, {@code pvc://models/llama/base} reads
 * {@code /data/models/llama/base}.
 */
public final class LocalVolumes {
    private final Map<String, Path> folders;

    private LocalVolumes(Map<String, Path> folders) {
        this.folders = folders;
    }

    /**
     * Parses {@code CLAIM=DIR} mappings; relative folders resolve against the working directory.
     *
     * @throws IllegalArgumentException a mapping is malformed, names a claim twice or an invalid claim name
     */
    public static LocalVolumes parse(List<String> mappings) {
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String mapping : mappings) {
            int equals = mapping.indexOf('=');
            if (equals <= 0 || equals == mapping.length() - 1) {
                throw new IllegalArgumentException(
                        "--volume " + mapping + ": expected CLAIM=DIR, e.g. --volume models=/data/models");
            }
            String claim = mapping.substring(0, equals);
            if (!StoragePaths.CLAIM.matcher(claim).matches()) {
                throw new IllegalArgumentException("--volume " + mapping + ": \"" + claim
                        + "\" is not a claim name (lowercase letters, digits, '-' and '.')");
            }
            Path folder;
            try {
                folder = Path.of(mapping.substring(equals + 1)).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("--volume " + mapping + ": " + e.getMessage(), e);
            }
            if (folders.put(claim, folder) != null) {
                throw new IllegalArgumentException("--volume: the claim " + claim + " is mapped twice");
            }
        }
        return new LocalVolumes(Map.copyOf(folders));
    }

    /**
     * The {@code pvc://} path of a local file inside one of the folders: the file's place on the
     * claim that folder stands for. Empty when no folder holds it.
     */
    public Optional<String> claimPath(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return folders.entrySet().stream()
                .filter(e -> absolute.startsWith(e.getValue()))
                .max(java.util.Comparator.comparingInt(e -> e.getValue().getNameCount()))
                .map(e -> new PvcPath(
                                e.getKey(), e.getValue().relativize(absolute).toString())
                        .toString());
    }

    /**
     * Rewrites every {@code pvc://} path of {@code spec} onto its claim's folder.
     *
     * @throws ManifestException a path names a claim without a folder
     */
    public void apply(FineTuneJobSpec spec) {
        for (SpecPaths.Field field : SpecPaths.FIELDS) {
            String value = field.get(spec);
            if (!StoragePaths.isPvc(value)) {
                continue;
            }
            PvcPath pvc = PvcPath.parse(value);
            Path folder = folders.get(pvc.claim());
            if (folder == null) {
                throw new ManifestException(field.name() + ": \"" + value + "\" is on the claim " + pvc.claim()
                        + ", which has no local folder; run with --volume " + pvc.claim() + "=DIR");
            }
            field.set(spec, (pvc.subPath().isEmpty() ? folder : folder.resolve(pvc.subPath())).toString());
        }
    }
}
