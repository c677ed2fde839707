package io.dftune.engine.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Packs the examples of one optimizer step into rows of at most {@code rowLength} tokens, first fit in
 * decreasing length (longest example first, each into the first row it fits, ties in step order), and makes
 * micro-batches of {@code rowsPerMicroBatch} rows in the order the rows were opened. Every example of the step
 * is in exactly one row, whole (examples are never longer than the max length), so a step trains on the same
 * examples as without packing; only the forward passes are fewer and fuller.
 */
public final class PackingBatcher implements StepBatcher {
    private final List<TrainingExample> examples;
    private final int padId;
    private final int rowLength;
    private final int rowsPerMicroBatch;

    public PackingBatcher(List<TrainingExample> examples, int padId, int rowLength, int rowsPerMicroBatch) {
        if (rowsPerMicroBatch < 1 || rowLength < 1) {
            throw new IllegalArgumentException(
                    "rowLength and rowsPerMicroBatch must be >= 1, got " + rowLength + ", " + rowsPerMicroBatch);
        }
        this.examples = List.copyOf(examples);
        this.padId = padId;
        this.rowLength = rowLength;
        this.rowsPerMicroBatch = rowsPerMicroBatch;
    }

    @Override
    public List<Batch> microBatches(int[] exampleIndices) {
        List<List<TrainingExample>> rows = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        int[] longestFirst = IntStream.range(0, exampleIndices.length)
                .boxed()
                .sorted(Comparator.comparingInt(
                                (Integer i) -> -examples.get(exampleIndices[i]).length())
                        .thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
        for (int i : longestFirst) {
            TrainingExample ex = examples.get(exampleIndices[i]);
            if (ex.length() > rowLength) {
                throw new IllegalArgumentException(
                        "an example of " + ex.length() + " tokens does not fit a row of " + rowLength);
            }
            int row = 0;
            while (row < rows.size() && free.get(row) < ex.length()) {
                row++;
            }
            if (row == rows.size()) {
                rows.add(new ArrayList<>());
                free.add(rowLength);
            }
            rows.get(row).add(ex);
            free.set(row, free.get(row) - ex.length());
        }
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += rowsPerMicroBatch) {
            out.add(Batch.packed(rows.subList(from, Math.min(rows.size(), from + rowsPerMicroBatch)), padId));
        }
        return out;
    }
}
