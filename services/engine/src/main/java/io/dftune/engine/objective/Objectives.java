package io.dftune.engine.objective;

import io.dftune.spec.ObjectiveSpec;
import io.dftune.spec.TrainingSpec;

/** Maps {@code spec.objective} to its implementation. */
public final class Objectives {
    private Objectives() {}

    /** {@code training} supplies the warmup ratio over which dft-power's beta ramps. */
    public static Objective create(ObjectiveSpec spec, TrainingSpec training) {
        if (spec.getType() == null) {
            throw new IllegalArgumentException(
                    "spec.objective.type: missing; available: sft, dft, asft, prob-q, dft-power");
        }
        return switch (spec.getType()) {
            case SFT -> new SftObjective();
            case DFT -> new DftObjective();
            case ASFT -> new AsftObjective(spec.getKlWeight());
            case PROB_Q -> new ProbQObjective(spec.getQ());
            case DFT_POWER -> new DftPowerObjective(spec.getBeta(), spec.isBetaRamp() ? training.getWarmupRatio() : 0);
        };
    }
}
