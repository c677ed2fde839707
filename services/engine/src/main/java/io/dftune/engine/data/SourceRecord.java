package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One record of a dataset file, read but not yet parsed: {@code fields} parses it (JSON text, a Parquet row) into
 * an object, so that parsing runs with the encoding, in parallel.
 *
 * @param file the file the record is in
 * @param position where in the file, as errors show it: {@code line 17}, {@code row 16}, {@code record 3 (line 9)}
 * @param fields the record's fields; throws {@link RecordException} if the record is not an object
 */
record SourceRecord(Path file, String position, Supplier<JsonNode> fields) {

    /** {@code file position}, the prefix of every error about this record. */
    String where() {
        return file + " " + position;
    }
}
