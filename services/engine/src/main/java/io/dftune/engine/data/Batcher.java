package io.dftune.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the example indices of one optimizer step into micro-batches of at most {@code microBatchSize}
 * examples, in the given order. The step's loss normaliser is {@link #responseTokenCount(List)} over all of
 * them (see DFT.md: divide by the step's token count, not the micro-batch's).
 */
public final class Batcher {
    private final List<TrainingExample> examples;
    private final int padId;
    private final int microBatchSize;

    public Batcher(List<TrainingExample> examples, int padId, int microBatchSize) {
        if (microBatchSize < 1) {
            throw new IllegalArgumentException("microBatchSize must be >= 1, got " + microBatchSize);
        }
        this.examples = List.copyOf(examples);
        this.padId = padId;
        this.microBatchSize = microBatchSize;
    }

    public List<Batch> microBatches(int[] exampleIndices) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < exampleIndices.length; from += microBatchSize) {
            int to = Math.min(from + microBatchSize, exampleIndices.length);
            List<TrainingExample> chunk = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                chunk.add(examples.get(exampleIndices[i]));
            }
            out.add(Batch.of(chunk, padId));
        }
        return out;
    }

    /** Total trained tokens over micro-batches (N in the loss normalisation). */
    public static long responseTokenCount(List<Batch> batches) {
        return batches.stream().mapToLong(Batch::responseTokenCount).sum();
    }
}
