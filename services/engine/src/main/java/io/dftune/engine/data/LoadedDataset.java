package io.dftune.engine.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The examples of one dataset.
 *
 * @param examples kept examples in file order
 * @param format the dataset's record format
 * @param skippedCount records dropped because no response token remained within the max length
 * @param truncatedCount kept examples that were cut to the max length
 * @param file the dataset path read (a file, a folder of shards or a glob)
 */
public record LoadedDataset(
        List<TrainingExample> examples, DataFormat format, int skippedCount, int truncatedCount, Path file) {
    public LoadedDataset {
        examples = List.copyOf(examples);
    }

    public int size() {
        return examples.size();
    }

    /** Sum of response tokens over all examples. */
    public long responseTokenCount() {
        return examples.stream().mapToLong(TrainingExample::responseTokenCount).sum();
    }
}
