package io.dftune.trainer.cluster;

import io.dftune.trainer.experiment.Score;
import java.util.Locale;
import java.util.Optional;

/**
 * When a run has collapsed and is not worth its GPU any longer: an evaluation during training
 * (after step 0, before the last step) whose validation accuracy (the one that chooses the rate:
 * avg@k when the evaluation samples k > 1 completions, exact match otherwise) is below the base model's by
 * more than {@code margin} (absolute: 0.1 is 10 percentage points). One evaluation is enough, so the
 * margin has to be wider than an evaluation's noise on the validation set.
 *
 * <p>NLL rising while the training loss falls is not used: DFT sharpens what the model already
 * prefers, so its NLL rises on healthy runs too (the arithmetic example's does while its exact
 * match rises from 49% to 85%).
 */
record CollapseRule(double margin) {
    CollapseRule {
        if (!(margin >= 0 && margin <= 1)) {
            throw new IllegalArgumentException("--collapse-margin must be between 0 and 1, got " + margin);
        }
    }

    /** Why the run should stop, judged on its latest evaluation at {@code step} of {@code totalSteps}. */
    Optional<String> check(Score base, Score latest, long step, long totalSteps) {
        if (base == null || latest == null || step <= 0 || step >= totalSteps) {
            return Optional.empty();
        }
        if (latest.selectionAccuracy() < base.selectionAccuracy() - margin) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "validation %s %.3f at step %d of %d, below the base model's %.3f by more than %.2f",
                    latest.selectionMetric(),
                    latest.selectionAccuracy(),
                    step,
                    totalSteps,
                    base.selectionAccuracy(),
                    margin));
        }
        return Optional.empty();
    }
}
