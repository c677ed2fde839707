package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** Periodic checkpointing; the final model is always written. */
public class CheckpointSpec {
    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Save a checkpoint every N optimizer steps; 0 disables periodic checkpoints.")
    private int everySteps = 0;

    @Min(1)
    @Default("2")
    @JsonPropertyDescription("How many of the newest checkpoints to keep.")
    private int keep = 2;

    public CheckpointSpec() {}

    public int getEverySteps() {
        return everySteps;
    }

    public void setEverySteps(int everySteps) {
        this.everySteps = everySteps;
    }

    public int getKeep() {
        return keep;
    }

    public void setKeep(int keep) {
        this.keep = keep;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointSpec c && everySteps == c.everySteps && keep == c.keep;
    }

    @Override
    public int hashCode() {
        return Objects.hash(everySteps, keep);
    }
}
