package io.dftune.trainer.cli;

import io.dftune.engine.data.DatasetOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --column NAME=COLUMN}: a job's {@code spec.data.columns} on the command line. */
final class ColumnsOption {
    @Option(
            names = "--column",
            paramLabel = "NAME=COLUMN",
            description = "The data set's column for one of dftune's names, as a job's spec.data.columns (repeatable), "
                    + "e.g. --column prompt=problem --column response=solution.")
    Map<String, String> columns = new LinkedHashMap<>();

    /** Every record, read with these column names. */
    DatasetOptions options() {
        return new DatasetOptions(columns, 0);
    }
}
