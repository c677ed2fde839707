package io.dftune.engine.data;

import java.util.List;

/**
 * Splits the examples of one optimizer step into micro-batches. The step's loss normaliser is
 * {@link #responseTokenCount(List)} over all of them (see DFT.md: divide by the step's token count, not the
 * micro-batch's), whichever way they are split.
 */
public interface StepBatcher {

    List<Batch> microBatches(int[] exampleIndices);

    /**
     * @param packing rows of {@code maxLength} tokens holding several examples each, {@code microBatchSize}
     *     rows per micro-batch; else {@code microBatchSize} padded examples per micro-batch
     */
    static StepBatcher of(
            List<TrainingExample> examples, int padId, int microBatchSize, boolean packing, int maxLength) {
        return packing
                ? new PackingBatcher(examples, padId, maxLength, microBatchSize)
                : new Batcher(examples, padId, microBatchSize);
    }

    /** Total trained tokens over micro-batches (N in the loss normalisation). */
    static long responseTokenCount(List<Batch> batches) {
        return batches.stream().mapToLong(Batch::responseTokenCount).sum();
    }
}
