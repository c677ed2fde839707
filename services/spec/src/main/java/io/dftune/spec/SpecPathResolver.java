package io.dftune.spec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Makes the spec's relative local paths absolute against the job file's folder, so a job means
 * the same thing whatever directory the CLI runs in. pvc:// and other scheme values are left for
 * the validator and the cluster.
 */
final class SpecPathResolver {
    private SpecPathResolver() {}

    static void resolve(FineTuneJobSpec spec, Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        for (SpecPaths.Field field : SpecPaths.FIELDS) {
            String value = field.get(spec);
            if (value != null) {
                field.set(spec, resolve(value, base));
            }
        }
    }

    static String resolve(String value, Path base) {
        if (value == null || value.isBlank() || !StoragePaths.isLocal(value)) {
            return value;
        }
        try {
            Path path = Path.of(value);
            return path.isAbsolute() ? value : base.resolve(path).normalize().toString();
        } catch (InvalidPathException e) {
            return value; // left as written; the validator names the field
        }
    }
}
