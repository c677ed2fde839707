package io.dftune.spec.run;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of a run's output directory ({@code spec.output.path}), for every reader and writer:
 * {@code metrics.jsonl}, {@code checkpoints/step-N/} and {@code final/}, written last and only on
 * success. The operator, which sees the directory only as a {@code pvc://} location, uses
 * {@link #finalModelLocation(String)}.
 */
public record RunDirectory(Path root) {
    public static final String METRICS_FILE = "metrics.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String FINAL_MODEL = "final";
    /** Inside {@link #FINAL_MODEL} of a LoRA run with output.mergeAdapter: the base with the adapter merged. */
    public static final String MERGED_MODEL = "merged";

    private static final String STEP_PREFIX = "step-";
    private static final Pattern STEP_DIR = Pattern.compile(Pattern.quote(STEP_PREFIX) + "(\\d+)");

    public static RunDirectory of(String outputPath) {
        return new RunDirectory(Path.of(outputPath));
    }

    /** One JSON object per optimizer step and per evaluation. */
    public Path metricsFile() {
        return root.resolve(METRICS_FILE);
    }

    public Path checkpoints() {
        return root.resolve(CHECKPOINTS);
    }

    public Path checkpoint(long step) {
        return checkpoints().resolve(STEP_PREFIX + step);
    }

    /** The model directory a successful run leaves. */
    public Path finalModel() {
        return root.resolve(FINAL_MODEL);
    }

    /** The step of a checkpoint directory's name ({@code step-N}), or empty for any other name. */
    public static OptionalLong checkpointStep(Path directory) {
        Matcher m = STEP_DIR.matcher(directory.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The final model's location for an output location that may be a {@code pvc://} URI. */
    public static String finalModelLocation(String outputLocation) {
        return outputLocation.replaceAll("/+$", "") + "/" + FINAL_MODEL;
    }
}
