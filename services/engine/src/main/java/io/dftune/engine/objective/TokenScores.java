package io.dftune.engine.objective;

import ai.djl.ndarray.NDArray;

/**
 * What an objective sees of one chunk of response tokens.
 *
 * @param targetLogProbs log-probability of each target token [n], differentiable
 * @param vocabLogProbs log-softmax over the vocabulary [n, V], differentiable
 * @param progress fraction of the run done, in [0, 1] (for objectives that ramp)
 * @param referenceVocabLogProbs the frozen reference model's log-softmax at the same positions
 *     [n, V], without gradient; null unless the objective {@linkplain Objective#needsReference needs it}
 */
public record TokenScores(
        NDArray targetLogProbs, NDArray vocabLogProbs, double progress, NDArray referenceVocabLogProbs) {

    public TokenScores(NDArray targetLogProbs, NDArray vocabLogProbs, double progress) {
        this(targetLogProbs, vocabLogProbs, progress, null);
    }
}
