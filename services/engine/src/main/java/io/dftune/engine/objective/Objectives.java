package io.dftune.engine.objective;

import io.dftune.spec.ObjectiveSpec;

/** Maps {@code spec.objective} to its implementation. */
public final class Objectives {
    private Objectives() {}

    public static Objective create(ObjectiveSpec spec) {
        return switch (spec.getType()) {
            case SFT -> new SftObjective();
            case DFT -> new DftObjective();
            default -> throw new IllegalArgumentException(
                    "spec.objective.type: " + spec.getType() + " is not available in this version; available: sft, dft");
        };
    }
}
