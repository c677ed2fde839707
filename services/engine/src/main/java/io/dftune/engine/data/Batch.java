package io.dftune.engine.data;

import java.util.Arrays;
import java.util.List;

/**
 * A micro-batch of rows, right-padded to its longest row. A row holds one example, or with packing several
 * examples back to back ({@code segments}); padding sits after every real token of its row, so it cannot change
 * the results for real tokens, and its mask is 0 so it adds no loss.
 *
 * @param inputIds [batch][width] token ids, padded with the pad id
 * @param completionMask [batch][width] 0/1, 0 on padding
 * @param lengths real (unpadded) tokens of each row
 * @param segments per row, the lengths of the examples it holds, in order (they add up to the row's length)
 */
public record Batch(int[][] inputIds, int[][] completionMask, int[] lengths, int[][] segments) {

    /** One example per row. */
    public Batch(int[][] inputIds, int[][] completionMask, int[] lengths) {
        this(inputIds, completionMask, lengths, oneSegmentPerRow(lengths));
    }

    /** One example per row, padded to the longest. */
    public static Batch of(List<TrainingExample> examples, int padId) {
        return packed(examples.stream().map(List::of).toList(), padId);
    }

    /** Each row's examples back to back, rows padded to the longest. */
    public static Batch packed(List<List<TrainingExample>> rows, int padId) {
        if (rows.isEmpty() || rows.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a batch needs at least one row, each with at least one example");
        }
        int[] lengths = new int[rows.size()];
        int[][] segments = new int[rows.size()][];
        for (int b = 0; b < rows.size(); b++) {
            segments[b] = rows.get(b).stream().mapToInt(TrainingExample::length).toArray();
            lengths[b] = Arrays.stream(segments[b]).sum();
        }
        int width = Arrays.stream(lengths).max().orElseThrow();
        int[][] ids = new int[rows.size()][width];
        int[][] mask = new int[rows.size()][width];
        for (int b = 0; b < rows.size(); b++) {
            int at = 0;
            for (TrainingExample ex : rows.get(b)) {
                System.arraycopy(ex.inputIds(), 0, ids[b], at, ex.length());
                System.arraycopy(ex.completionMask(), 0, mask[b], at, ex.length());
                at += ex.length();
            }
            Arrays.fill(ids[b], at, width, padId);
        }
        return new Batch(ids, mask, lengths, segments);
    }

    private static int[][] oneSegmentPerRow(int[] lengths) {
        int[][] out = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            out[b] = new int[] {lengths[b]};
        }
        return out;
    }

    public int size() {
        return lengths.length;
    }

    /** The padded sequence length. */
    public int width() {
        return inputIds[0].length;
    }

    /** Whether a row holds more than one example (attention and positions then restart at each). */
    public boolean isPacked() {
        return Arrays.stream(segments).anyMatch(s -> s.length > 1);
    }

    /** Real tokens over all rows. */
    public long tokenCount() {
        return Arrays.stream(lengths).asLongStream().sum();
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
