package io.dftune.engine.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code .json} file holding one array of record objects, streamed element by element (the file is never
 * held whole). Records are numbered from 0 as in the array, with the line each starts on.
 */
final class JsonArrayRecords implements RecordSource {
    private final Path file;
    private final JsonParser parser;
    private int index;
    private boolean started;

    JsonArrayRecords(Path file) {
        this.file = file;
        try {
            // From bytes, so that the parser skips a byte order mark.
            this.parser = JsonRecords.JSON.createParser(new BufferedInputStream(Files.newInputStream(file)));
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }

    @Override
    public SourceRecord next() {
        try {
            if (!started) {
                started = true;
                JsonToken first = parser.nextToken();
                if (first == null) {
                    return null;
                }
                if (first != JsonToken.START_ARRAY) {
                    throw new DatasetException(file + " must hold one JSON array of records, found " + first
                            + " at line " + parser.currentTokenLocation().getLineNr());
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (parser.nextToken() != null) {
                    throw new DatasetException(
                            file + " line " + parser.currentTokenLocation().getLineNr()
                                    + ": unexpected text after the array of records");
                }
                return null;
            }
            String position = "record " + index + " (line "
                    + parser.currentTokenLocation().getLineNr() + ")";
            index++;
            JsonNode value = JsonRecords.JSON.readTree(parser);
            return new SourceRecord(file, position, () -> JsonRecords.requireObject(value));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new DatasetException(
                    file + (at == null ? "" : " line " + at.getLineNr() + " column " + at.getColumnNr())
                            + ": invalid JSON: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw JsonRecords.readFailure(file, e);
        }
    }
}
