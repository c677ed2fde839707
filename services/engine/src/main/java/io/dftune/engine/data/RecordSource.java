package io.dftune.engine.data;

import java.nio.file.Path;

/** Reads the records of one dataset file in file order. */
interface RecordSource extends AutoCloseable {

    /**
     * The next record, or null after the last.
     *
     * @throws DatasetException if the file cannot be read further, naming it and where
     */
    SourceRecord next();

    @Override
    void close();

    /**
     * @param columns the top-level columns the records need (readers that can skip the others do); null for all
     */
    static RecordSource open(DataFiles.DataFile file, java.util.Set<String> columns) {
        Path path = file.path();
        return switch (file.format()) {
            case JSONL -> new JsonlRecords(path);
            case JSON -> new JsonArrayRecords(path);
            case PARQUET -> new ParquetRecords(path, columns);
        };
    }
}
