package io.dftune.engine.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What the JSON readers share: one strict mapper (duplicate keys are errors) and their error wording. */
final class JsonRecords {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonRecords() {}

    /** The JSON object in {@code text}, nothing after it. */
    static JsonNode parseObject(String text) {
        JsonNode n;
        try (JsonParser parser = JSON.createParser(text)) {
            n = JSON.readTree(parser);
            if (n != null && parser.nextToken() != null) {
                throw new RecordException("unexpected text after the JSON value at column "
                        + parser.currentTokenLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new RecordException(
                    "invalid JSON" + (col > 0 ? " at column " + col : "") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requireObject(n);
    }

    static JsonNode requireObject(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new RecordException(
                    "expected a JSON object, got " + (n == null ? "nothing" : RecordFields.describe(n)));
        }
        return n;
    }

    static DatasetException readFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DatasetException("dataset file not found: " + file, e);
        }
        if (e instanceof CharacterCodingException) {
            return new DatasetException(file + " is not valid UTF-8 text", e);
        }
        return new DatasetException("cannot read dataset file " + file + ": " + e, e);
    }
}
