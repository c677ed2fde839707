package io.dftune.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the example indices of one optimizer step into micro-batches of at most {@code microBatchSize}
 * examples, in the given order, each padded to its longest example.
 */
public final class Batcher implements StepBatcher {
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

    @Override
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
}
