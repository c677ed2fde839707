package io.dftune.engine.data;

import io.dftune.spec.DataSpec;
import java.util.Map;

/**
 * How a dataset is read beyond its path.
 *
 * @param columns the dataset's own column names by dftune's names ({@code data.columns}); empty for dftune's names
 * @param maxRecords read only the first this many records, in file order; 0 reads all
 */
public record DatasetOptions(Map<String, String> columns, int maxRecords) {
    public static final DatasetOptions DEFAULTS = new DatasetOptions(Map.of(), 0);

    public DatasetOptions {
        columns = columns == null ? Map.of() : Map.copyOf(columns);
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must be >= 0, got " + maxRecords);
        }
    }

    /** The training set's options: the column map and {@code data.maxExamples}. */
    public static DatasetOptions train(DataSpec data) {
        return new DatasetOptions(data.getColumns(), data.getMaxExamples());
    }

    /** The evaluation set's options: the column map, every record. */
    public static DatasetOptions eval(DataSpec data) {
        return new DatasetOptions(data.getColumns(), 0);
    }
}
