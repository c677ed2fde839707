package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;
import io.dftune.engine.nd.Constants;

/**
 * Anchored SFT: the DFT loss plus {@code lambda * KL(pi_ref || pi_theta)} over the whole
 * vocabulary at each response position, where pi_ref is the frozen start model. The KL term
 * keeps the fine-tuned distribution near the start model's.
 */
public final class AsftObjective implements Objective {
    private final DftObjective dft = new DftObjective();
    private final double klWeight;

    public AsftObjective(double klWeight) {
        if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("spec.objective.klWeight must be >= 0, got " + klWeight);
        }
        this.klWeight = klWeight;
    }

    @Override
    public String name() {
        return "asft";
    }

    @Override
    public boolean needsReference() {
        return true;
    }

    @Override
    public NDArray tokenLoss(TokenScores scores) {
        NDArray reference = scores.referenceVocabLogProbs();
        if (reference == null) {
            throw new IllegalStateException("asft needs the reference model's log-probabilities");
        }
        NDArray kl = reference.exp().mul(reference.sub(scores.vocabLogProbs())).sum(new int[] {1});
        NDArray weight = Constants.scalar(kl.getManager(), (float) klWeight);
        return dft.tokenLoss(scores).add(kl.mul(weight));
    }
}
