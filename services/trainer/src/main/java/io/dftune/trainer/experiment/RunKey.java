package io.dftune.trainer.experiment;

import java.nio.file.Path;
import java.util.Locale;

/** One fine-tuning run of an experiment, and the folder that holds it. */
public record RunKey(String arm, double learningRate, long seed) {
    Path directory(Path output) {
        return output.resolve(relativeDirectory());
    }

    /** {@code runs/<arm>/lr-<rate>/seed-<seed>}, below an experiment's output. */
    public String relativeDirectory() {
        return "runs/" + arm + "/lr-" + learningRate + "/seed-" + seed;
    }

    public String label() {
        return String.format(Locale.ROOT, "%s lr %s seed %d", arm, learningRate, seed);
    }
}
