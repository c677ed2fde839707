package io.dftune.trainer.experiment;

import java.util.Comparator;
import java.util.List;

/**
 * Which runs an experiment needs, wherever they run: each arm's learning-rate sweep with the first
 * seed, then every seed at the rate the sweep chose.
 */
public final class RunSelection {
    private RunSelection() {}

    /** The arm at every learning rate, with the first seed. */
    public static List<RunKey> sweep(ExperimentPlan plan, ExperimentPlan.Arm arm) {
        long first = plan.seeds().get(0);
        return plan.learningRates().stream()
                .map(rate -> new RunKey(arm.name(), rate, first))
                .toList();
    }

    /** The arm at the chosen rate, one run per seed (the first is also part of the sweep). */
    public static List<RunKey> atRate(ExperimentPlan plan, ExperimentPlan.Arm arm, double rate) {
        return plan.seeds().stream()
                .map(seed -> new RunKey(arm.name(), rate, seed))
                .toList();
    }

    /** How many fine-tunes the whole experiment takes. */
    public static int total(ExperimentPlan plan) {
        return plan.arms().size() * (plan.learningRates().size() + plan.seeds().size() - 1);
    }

    /**
     * The rate of the best validation accuracy ({@link Score#selectionAccuracy()}: avg@k when the
     * evaluation samples k > 1 completions, accuracy@1 otherwise); a tie goes to the lower validation NLL.
     */
    public static double bestRate(List<RunScores> sweep) {
        return sweep.stream()
                .max(Comparator.comparingDouble((RunScores s) -> s.validation().selectionAccuracy())
                        .thenComparing(s -> -s.validation().nll()))
                .orElseThrow()
                .key()
                .learningRate();
    }
}
