package io.dftune.engine.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JSON Lines file: one object per line; blank lines and a leading byte order mark are ignored. */
final class JsonlRecords implements RecordSource {
    private final Path file;
    private final BufferedReader in;
    private int lineNo;

    JsonlRecords(Path file) {
        this.file = file;
        try {
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }

    @Override
    public SourceRecord next() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    String text = line;
                    return new SourceRecord(file, "line " + lineNo, () -> JsonRecords.parseObject(text));
                }
            }
            return null;
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }
}
