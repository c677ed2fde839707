package io.dftune.engine.data;

/**
 * One record as training sees it: its whole token sequence with the trained tokens marked, and the example
 * training keeps (cut to the max length; the first token is never a target).
 *
 * @param file the file the record is in
 * @param position where in the file: {@code line 3}, {@code row 2}, {@code record 0 (line 2)}
 * @param format the record's format
 * @param allIds every token of the record before the cut to the max length
 * @param allMask 1 where a token of {@code allIds} is trained
 * @param example what training keeps
 */
public record RecordPreview(
        java.nio.file.Path file,
        String position,
        DataFormat format,
        int[] allIds,
        int[] allMask,
        TrainingExample example) {

    /** Whether the max length cut tokens off. */
    public boolean truncated() {
        return allIds.length > example.length();
    }

    /** Whether training skips the record: no trained token is left within the max length. */
    public boolean skipped() {
        return example.responseTokenCount() == 0;
    }
}
