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
        if (spec.getModel() != null) {
            spec.getModel().setPath(resolve(spec.getModel().getPath(), base));
        }
        if (spec.getData() != null) {
            spec.getData().setTrain(resolve(spec.getData().getTrain(), base));
            spec.getData().setEval(resolve(spec.getData().getEval(), base));
        }
        if (spec.getOutput() != null) {
            spec.getOutput().setPath(resolve(spec.getOutput().getPath(), base));
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
