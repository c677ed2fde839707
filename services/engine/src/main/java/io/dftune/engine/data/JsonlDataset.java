package io.dftune.engine.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ChatTemplateException;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a JSONL training file into {@link TrainingExample}s. One record per line, blank lines ignored; the
 * file's format ({@link DataFormat}) is fixed by its first record. Extra keys are ignored; {@code answer}
 * (string or number) is optional in every format.
 *
 * <ul>
 *   <li>{@code prompt}/{@code response}: the prompt is rendered as one user message with the generation
 *       prompt when the model has a chat template, else used raw. Ids are [BOS if the tokenizer adds one
 *       and the text does not already start with it] + encode(prompt text) (mask 0) + encode(response) +
 *       EOS (mask 1; no second EOS if the response text already ends with it).
 *   <li>{@code messages}: only assistant turns are trained (content plus the tokens that end the turn).
 *       Without a chat template the conversation is rendered as plain {@code "User: ...\n"} /
 *       {@code "Assistant: ...<eos>\n"} lines (see {@code MessagesEncoder}).
 *   <li>{@code input_ids}/{@code completion_mask}: taken as given after validation.
 * </ul>
 *
 * <p>Sequences longer than {@code maxLength} keep their beginning. The mask at position 0 is always 0
 * (nothing predicts the first token). A record left without response tokens is skipped and counted.
 * All problems surface as {@link DatasetException} naming the file and, for a record, its line.
 */
public final class JsonlDataset {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Records encoded together; a bound on what a large file holds in memory at once. */
    private static final int CHUNK_LINES = 4096;

    private final Path file;
    private final ModelTokenizer tok;
    private final int maxLength;
    private PromptResponseEncoder promptResponse;
    private MessagesEncoder messages;
    private PretokenizedEncoder pretokenized;

    private DataFormat format;
    private int formatLine;
    private int records;
    private int skipped;
    private int truncated;
    private final List<TrainingExample> examples = new ArrayList<>();

    private record Line(int number, String text) {}

    /** A record's example, or the failure it stopped at ({@code format} is null if the record could not be read). */
    private record Encoded(
            int line,
            DataFormat format,
            TokenSequence sequence,
            TrainingExample example,
            boolean truncated,
            RuntimeException failure) {}

    private JsonlDataset(Path file, ModelTokenizer tok, int maxLength) {
        this.file = file;
        this.tok = tok;
        this.maxLength = maxLength;
    }

    /**
     * @param maxLength the longest sequence kept, in tokens (at least 2: one context token and one target)
     * @throws DatasetException if the file is missing, unreadable, empty, has a bad record, mixes formats, or
     *     if every record was skipped
     */
    public static LoadedDataset load(Path file, ModelTokenizer tok, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        return new JsonlDataset(file, tok, maxLength).read();
    }

    /**
     * The first {@code records} records of the file, each encoded as {@link #load} encodes it for training, with
     * the tokens the max length cuts off. Records without a trained token are included (training skips them).
     *
     * @throws DatasetException if the file is missing or unreadable, or one of these records is bad
     */
    public static List<RecordPreview> preview(Path file, ModelTokenizer tok, int maxLength, int records) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        JsonlDataset d = new JsonlDataset(file, tok, maxLength);
        if (Files.isDirectory(file)) {
            throw new DatasetException("dataset path " + file + " is a directory, expected a JSONL file");
        }
        List<RecordPreview> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while (out.size() < records && (line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    Encoded e = d.encode(new Line(lineNo, line));
                    d.add(e);
                    out.add(new RecordPreview(
                            e.line(),
                            e.format(),
                            e.sequence().ids(),
                            e.sequence().mask(),
                            e.example()));
                }
            }
        } catch (IOException e) {
            throw d.readFailure(e);
        }
        return out;
    }

    private LoadedDataset read() {
        if (Files.isDirectory(file)) {
            throw new DatasetException("dataset path " + file + " is a directory, expected a JSONL file");
        }
        List<Line> chunk = new ArrayList<>(CHUNK_LINES);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    chunk.add(new Line(lineNo, line));
                }
                if (chunk.size() == CHUNK_LINES) {
                    addAll(chunk);
                    chunk.clear();
                }
            }
        } catch (IOException e) {
            addAll(chunk); // a bad record before the unreadable part is reported first
            throw readFailure(e);
        }
        addAll(chunk);
        if (records == 0) {
            throw new DatasetException(file + " contains no records (the file is empty or blank)");
        }
        if (examples.isEmpty()) {
            throw new DatasetException("all " + records + " records of " + file + " were skipped: none has a "
                    + "response token within the max length of " + maxLength + " tokens");
        }
        return new LoadedDataset(examples, format, skipped, truncated, file);
    }

    private DatasetException readFailure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DatasetException("dataset file not found: " + file, e);
        }
        if (e instanceof CharacterCodingException) {
            return new DatasetException(file + " is not valid UTF-8 text", e);
        }
        return new DatasetException("cannot read dataset file " + file + ": " + e, e);
    }

    /**
     * Encodes the records in parallel (the chat template and the tokenizer are the slow part), then takes the
     * results in file order, so that order, counts and the first error are those of reading one by one.
     */
    private void addAll(List<Line> chunk) {
        chunk.parallelStream().map(this::encode).toList().forEach(this::add);
    }

    /** The line's record encoded in its own format; a failure is kept for {@link #add} to report in order. */
    private Encoded encode(Line line) {
        JsonNode record;
        DataFormat f;
        try {
            record = parse(line.text());
            f = DataFormat.detect(record);
        } catch (RuntimeException e) {
            return new Encoded(line.number(), null, null, null, false, e);
        }
        try {
            TokenSequence seq = encode(f, record);
            TrainingExample ex =
                    seq.toExample(maxLength, promptOf(f, record), RecordFields.optionalText(record, "answer"));
            return new Encoded(line.number(), f, seq, ex, seq.truncatedBy(maxLength), null);
        } catch (RuntimeException e) {
            return new Encoded(line.number(), f, null, null, false, e);
        }
    }

    private void add(Encoded encoded) {
        try {
            if (encoded.format() == null) {
                throw encoded.failure();
            }
            if (format == null) {
                format = encoded.format();
                formatLine = encoded.line();
            } else if (encoded.format() != format) {
                throw new RecordException("record is in " + encoded.format() + " format but the file's first record "
                        + "(line " + formatLine + ") is " + format + "; use one format per file");
            }
            records++;
            if (encoded.failure() != null) {
                throw encoded.failure();
            }
            if (encoded.example().responseTokenCount() == 0) {
                skipped++;
            } else {
                truncated += encoded.truncated() ? 1 : 0;
                examples.add(encoded.example());
            }
        } catch (RecordException | ChatTemplateException e) {
            throw new DatasetException(file + " line " + encoded.line() + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String line) {
        JsonNode n;
        try (JsonParser parser = JSON.createParser(line)) {
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
        if (n == null || !n.isObject()) {
            throw new RecordException(
                    "expected a JSON object, got " + (n == null ? "nothing" : RecordFields.describe(n)));
        }
        return n;
    }

    private TokenSequence encode(DataFormat f, JsonNode record) {
        return switch (f) {
            case PROMPT_RESPONSE ->
                promptResponseEncoder()
                        .encode(
                                RecordFields.requiredString(record, "prompt"),
                                RecordFields.requiredString(record, "response"));
            case MESSAGES -> messagesEncoder().encode(RecordFields.conversation(record));
            case PRETOKENIZED -> pretokenizedEncoder().encode(record);
        };
    }

    /** The prompt as given: the prompt field, or the last user message before the first assistant turn. */
    private static String promptOf(DataFormat f, JsonNode record) {
        return switch (f) {
            case PROMPT_RESPONSE -> record.get("prompt").asText();
            case MESSAGES -> {
                String prompt = null;
                for (ChatMessage m : RecordFields.conversation(record).messages()) {
                    if (m.role().equals("assistant")) {
                        break;
                    }
                    prompt = m.role().equals("user") ? m.text() : prompt;
                }
                yield prompt;
            }
            case PRETOKENIZED -> null;
        };
    }

    private synchronized PromptResponseEncoder promptResponseEncoder() {
        if (promptResponse == null) {
            promptResponse = new PromptResponseEncoder(tok);
        }
        return promptResponse;
    }

    private synchronized MessagesEncoder messagesEncoder() {
        if (messages == null) {
            messages = new MessagesEncoder(tok);
        }
        return messages;
    }

    private synchronized PretokenizedEncoder pretokenizedEncoder() {
        if (pretokenized == null) {
            pretokenized = new PretokenizedEncoder(tok.vocabSize());
        }
        return pretokenized;
    }
}
