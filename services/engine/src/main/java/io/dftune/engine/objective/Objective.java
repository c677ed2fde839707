package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;

/**
 * A per-token training objective. Implementations return the loss of each response token
 * before masking and normalisation; {@link io.dftune.engine.objective.ResponseLoss} applies the
 * mask and divides by the response-token count of the whole optimizer step, for every objective
 * alike.
 *
 * <p>Scalars used inside {@link #tokenLoss} must be 0-d arrays from
 * {@link io.dftune.engine.nd.Constants} in the scores' manager, never {@code mul(Number)}.
 */
public interface Objective {

    /** The name used in metrics and status, e.g. {@code dft}. */
    String name();

    /** Per-token loss [n] for the response tokens in {@code scores}; must stay differentiable. */
    NDArray tokenLoss(TokenScores scores);

    /** Whether {@link TokenScores#referenceVocabLogProbs} must be filled from the frozen start model. */
    default boolean needsReference() {
        return false;
    }
}
