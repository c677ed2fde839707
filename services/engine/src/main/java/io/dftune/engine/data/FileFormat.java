package io.dftune.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a dataset file stores its records, told by its name and checked against its first bytes. */
enum FileFormat {
    /** One JSON object per line. */
    JSONL(".jsonl"),
    /** One JSON array of objects. */
    JSON(".json"),
    /** Apache Parquet, one record per row. */
    PARQUET(".parquet");

    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int PROBE_BYTES = 64;

    private final String extension;

    FileFormat(String extension) {
        this.extension = extension;
    }

    String extension() {
        return extension;
    }

    /** The format a file name says, if its extension is one of the formats'. */
    static Optional<FileFormat> byName(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> name.endsWith(f.extension)).findFirst();
    }

    static String extensions() {
        return ".jsonl, .json or .parquet";
    }

    /**
     * @throws DatasetException if the file's first bytes are not what its name says (a Parquet file named
     *     .jsonl, JSON Lines named .json, ...)
     */
    void checkContent(Path file) {
        byte[] head = head(file);
        boolean parquet = startsWith(head, PARQUET_MAGIC);
        int first = firstJsonCharacter(head);
        String found = parquet
                ? "a Parquet file"
                : first == '[' ? "a JSON array" : first == '{' ? "JSON objects (JSON Lines or a single object)" : null;
        boolean fits =
                switch (this) {
                    case PARQUET -> parquet;
                    case JSON -> first == '[' || first == -1;
                    case JSONL -> !parquet && first != '[';
                };
        if (fits) {
            return;
        }
        String expected =
                switch (this) {
                    case PARQUET -> "a Parquet file (it does not start with PAR1)";
                    case JSON -> "one JSON array of records";
                    case JSONL -> "one JSON object per line";
                };
        FileFormat named = parquet ? PARQUET : first == '[' ? JSON : first == '{' ? JSONL : null;
        throw new DatasetException(file + " is named " + extension + " but holds "
                + (found == null ? "something else" : found) + ", not " + expected
                + (named == null ? "" : "; name it " + named.extension + " if that is what it holds"));
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(PROBE_BYTES);
        } catch (NoSuchFileException e) {
            throw new DatasetException("dataset file not found: " + file, e);
        } catch (IOException e) {
            throw new DatasetException("cannot read dataset file " + file + ": " + e, e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The first character that is not whitespace or a byte order mark, or -1 if there is none in the probe. */
    private static int firstJsonCharacter(byte[] head) {
        int i = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        for (; i < head.length; i++) {
            if (!Character.isWhitespace(head[i])) {
                return head[i];
            }
        }
        return -1;
    }
}
