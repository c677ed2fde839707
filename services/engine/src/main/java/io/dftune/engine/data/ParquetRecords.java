package io.dftune.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file, row group by row group, through parquet-java's record API without Hadoop's file system.
 * Only the columns the records need are decoded. Rows are numbered from 0, as pandas and the Hugging Face
 * dataset viewer number them; {@link ParquetJson} turns each into a JSON object.
 */
final class ParquetRecords implements RecordSource {
    private final Path file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIo;
    private RecordReader<Group> rows;
    private long rowsLeftInGroup;
    private long row;

    ParquetRecords(Path file, Set<String> columns) {
        this.file = file;
        try {
            this.reader = ParquetFileReader.open(
                    new LocalInputFile(file),
                    ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException("cannot read Parquet file " + file + ": " + e.getMessage(), e);
        }
        MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
        this.schema = columns == null ? fileSchema : projection(fileSchema, columns);
        reader.setRequestedSchema(schema);
        this.columnIo = new ColumnIOFactory().getColumnIO(schema, fileSchema);
    }

    private MessageType projection(MessageType fileSchema, Set<String> columns) {
        List<Type> kept = new ArrayList<>();
        for (Type field : fileSchema.getFields()) {
            if (columns.contains(field.getName())) {
                kept.add(field);
            }
        }
        if (kept.isEmpty()) {
            List<String> names =
                    fileSchema.getFields().stream().map(Type::getName).toList();
            throw new DatasetException(file + " has none of the columns "
                    + columns.stream().sorted().toList() + " (its columns: " + names
                    + "); map yours with spec.data.columns");
        }
        return new MessageType(fileSchema.getName(), kept);
    }

    @Override
    public SourceRecord next() {
        try {
            while (rowsLeftInGroup == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return null;
                }
                rows = columnIo.getRecordReader(pages, new GroupRecordConverter(schema));
                rowsLeftInGroup = pages.getRowCount();
            }
            Group group = rows.read();
            rowsLeftInGroup--;
            long number = row++;
            return new SourceRecord(file, "row " + number, () -> ParquetJson.record(group));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file + " row " + row + ": cannot read the Parquet data: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new DatasetException("cannot close Parquet file " + file + ": " + e.getMessage(), e);
        }
    }
}
