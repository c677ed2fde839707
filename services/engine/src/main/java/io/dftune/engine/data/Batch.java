package io.dftune.engine.data;

import java.util.Arrays;
import java.util.List;

/**
 * A micro-batch, right-padded to its longest example. Padding sits after every real token, so with a
 * causal model it cannot change the results for real tokens; its mask is 0 so it adds no loss.
 *
 * @param inputIds [batch][maxLength] token ids, padded with the pad id
 * @param completionMask [batch][maxLength] 0/1, 0 on padding
 * @param lengths real (unpadded) length of each row
 */
public record Batch(int[][] inputIds, int[][] completionMask, int[] lengths) {

    public static Batch of(List<TrainingExample> examples, int padId) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        int width = examples.stream().mapToInt(TrainingExample::length).max().orElseThrow();
        int[][] ids = new int[examples.size()][width];
        int[][] mask = new int[examples.size()][width];
        int[] lengths = new int[examples.size()];
        for (int b = 0; b < examples.size(); b++) {
            TrainingExample ex = examples.get(b);
            int n = ex.length();
            System.arraycopy(ex.inputIds(), 0, ids[b], 0, n);
            System.arraycopy(ex.completionMask(), 0, mask[b], 0, n);
            Arrays.fill(ids[b], n, width, padId);
            lengths[b] = n;
        }
        return new Batch(ids, mask, lengths);
    }

    public int size() {
        return lengths.length;
    }

    /** The padded sequence length. */
    public int width() {
        return inputIds[0].length;
    }

    /** Number of trained tokens in this micro-batch. */
    public long responseTokenCount() {
        long n = 0;
        for (int[] row : completionMask) {
            for (int m : row) {
                n += m;
            }
        }
        return n;
    }
}
