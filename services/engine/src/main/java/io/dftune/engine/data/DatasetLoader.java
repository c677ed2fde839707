package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ChatTemplateException;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.DataColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads a dataset into {@link TrainingExample}s: a JSONL, JSON (an array) or Parquet file, a folder of Parquet
 * shards or a glob ({@link DataFiles}), the files' records in order. Every record is in one of the
 * {@link DataFormat}s, fixed by the column map ({@link DatasetOptions#columns}) or by the first record; other
 * columns are ignored, and {@code answer} (string or number) is optional in every format.
 *
 * <ul>
 *   <li>{@code prompt}/{@code response}: the prompt (with {@code query} on a new line after it, if the record has
 *       one) is rendered as one user message with the generation prompt, after the record's {@code system}
 *       message, when the model has a chat template, else used raw. Ids are [BOS if the tokenizer adds one and
 *       the text does not already start with it] + encode(prompt text) (mask 0) + encode(response) + EOS (mask 1;
 *       no second EOS if the response text already ends with it).
 *   <li>{@code messages} (or ShareGPT {@code conversations}): only assistant turns are trained (content plus the
 *       tokens that end the turn). Without a chat template the conversation is rendered as plain
 *       {@code "User: ...\n"} / {@code "Assistant: ...<eos>\n"} lines (see {@code MessagesEncoder}).
 *   <li>{@code input_ids}/{@code completion_mask}: taken as given after validation.
 * </ul>
 *
 * <p>Sequences longer than {@code maxLength} keep their beginning. The mask at position 0 is always 0 (nothing
 * predicts the first token). A record left without response tokens is skipped and counted. All problems surface
 * as {@link DatasetException} naming the file and, for a record, where it is (line, row).
 */
public final class DatasetLoader {

    /** Records encoded together; a bound on what a large file holds in memory at once. */
    private static final int CHUNK_RECORDS = 4096;

    private final Path dataset;
    private final ModelTokenizer tok;
    private final int maxLength;
    private final ColumnMap columns;
    private PromptResponseEncoder promptResponse;
    private MessagesEncoder messages;
    private PretokenizedEncoder pretokenized;

    private DataFormat format;
    private String formatWhere;
    private int records;
    private int skipped;
    private int truncated;
    private final List<TrainingExample> examples = new ArrayList<>();

    /** A record's example, or the failure it stopped at ({@code format} is null if the record could not be read). */
    private record Encoded(
            SourceRecord record,
            DataFormat format,
            TokenSequence sequence,
            TrainingExample example,
            boolean truncated,
            RuntimeException failure) {}

    private DatasetLoader(Path dataset, ModelTokenizer tok, int maxLength, DatasetOptions options) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        this.dataset = dataset;
        this.tok = tok;
        this.maxLength = maxLength;
        this.columns = new ColumnMap(options.columns());
    }

    /** Every record, with dftune's column names. */
    public static LoadedDataset load(Path dataset, ModelTokenizer tok, int maxLength) {
        return load(dataset, tok, maxLength, DatasetOptions.DEFAULTS);
    }

    /**
     * @param maxLength the longest sequence kept, in tokens (at least 2: one context token and one target)
     * @throws DatasetException if a file is missing, unreadable, empty or not what its name says, has a bad
     *     record, mixes formats, or if every record was skipped
     */
    public static LoadedDataset load(Path dataset, ModelTokenizer tok, int maxLength, DatasetOptions options) {
        return new DatasetLoader(dataset, tok, maxLength, options).read(options.maxRecords());
    }

    /** {@link #preview(Path, ModelTokenizer, int, int, DatasetOptions)} with dftune's column names. */
    public static List<RecordPreview> preview(Path dataset, ModelTokenizer tok, int maxLength, int records) {
        return preview(dataset, tok, maxLength, records, DatasetOptions.DEFAULTS);
    }

    /**
     * The first {@code records} records of the dataset, each encoded as {@link #load} encodes it for training, with
     * the tokens the max length cuts off. Records without a trained token are included (training skips them).
     *
     * @throws DatasetException if a file is missing or unreadable, or one of these records is bad
     */
    public static List<RecordPreview> preview(
            Path dataset, ModelTokenizer tok, int maxLength, int records, DatasetOptions options) {
        DatasetLoader d = new DatasetLoader(dataset, tok, maxLength, options);
        List<RecordPreview> out = new ArrayList<>();
        d.readRecords(records, chunk -> chunk.stream().map(d::encode).forEach(e -> {
            d.add(e);
            out.add(new RecordPreview(
                    e.record().file(),
                    e.record().position(),
                    e.format(),
                    e.sequence().ids(),
                    e.sequence().mask(),
                    e.example()));
        }));
        return out;
    }

    private LoadedDataset read(int limit) {
        try (OrderedChunkEncoder<SourceRecord, Encoded> encoder = new OrderedChunkEncoder<>(this::encode, this::add)) {
            try {
                readRecords(limit, encoder::submit);
            } catch (DatasetException e) {
                encoder.finish(); // a bad record before the unreadable one is reported first
                throw e;
            }
            encoder.finish();
        }
        if (records == 0) {
            throw new DatasetException(dataset + " contains no records (the file is empty or blank)");
        }
        if (examples.isEmpty()) {
            throw new DatasetException("all " + records + " records of " + dataset + " were skipped: none has a "
                    + "response token within the max length of " + maxLength + " tokens");
        }
        return new LoadedDataset(examples, format, skipped, truncated, dataset);
    }

    /** Hands the first {@code limit} records (all when 0) of every file, in order, to {@code chunks} in chunks. */
    private void readRecords(int limit, Consumer<List<SourceRecord>> chunks) {
        List<SourceRecord> chunk = new ArrayList<>(CHUNK_RECORDS);
        int read = 0;
        for (DataFiles.DataFile file : DataFiles.resolve(dataset)) {
            try (RecordSource source = RecordSource.open(file, columns.wanted())) {
                SourceRecord record;
                while ((limit == 0 || read < limit) && (record = next(source, chunk, chunks)) != null) {
                    chunk.add(record);
                    read++;
                    if (chunk.size() == CHUNK_RECORDS) {
                        chunks.accept(chunk);
                        chunk.clear();
                    }
                }
            }
        }
        chunks.accept(chunk);
    }

    /** The source's next record; when reading fails, the records before it are taken first (their errors first). */
    private static SourceRecord next(
            RecordSource source, List<SourceRecord> chunk, Consumer<List<SourceRecord>> chunks) {
        try {
            return source.next();
        } catch (DatasetException e) {
            chunks.accept(chunk);
            chunk.clear();
            throw e;
        }
    }

    /** The record encoded in its own format; a failure is kept for {@link #add} to report in order. */
    private Encoded encode(SourceRecord source) {
        JsonNode record;
        DataFormat f;
        try {
            record = source.fields().get();
            f = DataFormat.detect(record, columns);
        } catch (RuntimeException e) {
            return new Encoded(source, null, null, null, false, e);
        }
        try {
            TokenSequence seq = encode(f, record);
            TrainingExample ex = seq.toExample(
                    maxLength, promptOf(f, record), RecordFields.optionalText(record, columns.name(DataColumn.ANSWER)));
            return new Encoded(source, f, seq, ex, seq.truncatedBy(maxLength), null);
        } catch (RuntimeException e) {
            return new Encoded(source, f, null, null, false, e);
        }
    }

    private void add(Encoded encoded) {
        try {
            if (encoded.format() == null) {
                throw encoded.failure();
            }
            if (format == null) {
                format = encoded.format();
                formatWhere = encoded.record().where();
            } else if (encoded.format() != format) {
                throw new RecordException("record is in " + encoded.format() + " format but the first record ("
                        + formatWhere + ") is " + format + "; use one format per dataset");
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
            throw new DatasetException(encoded.record().where() + ": " + e.getMessage(), e);
        }
    }

    private TokenSequence encode(DataFormat f, JsonNode record) {
        return switch (f) {
            case PROMPT_RESPONSE ->
                promptResponseEncoder()
                        .encode(
                                RecordFields.optionalText(record, columns.name(DataColumn.SYSTEM)),
                                prompt(record),
                                RecordFields.requiredString(record, columns.name(DataColumn.RESPONSE)));
            case MESSAGES -> messagesEncoder().encode(RecordFields.conversation(record, columns));
            case PRETOKENIZED ->
                pretokenizedEncoder()
                        .encode(
                                RecordFields.intArray(record, columns.name(DataColumn.INPUT_IDS)),
                                RecordFields.intArray(record, columns.name(DataColumn.COMPLETION_MASK)));
        };
    }

    /** The prompt column, and the query column on a new line after it when the record has a non-empty one. */
    private String prompt(JsonNode record) {
        String prompt = RecordFields.requiredString(record, columns.name(DataColumn.PROMPT));
        String query = RecordFields.optionalText(record, columns.name(DataColumn.QUERY));
        return query == null || query.isEmpty() ? prompt : prompt + "\n" + query;
    }

    /** The prompt as given: the prompt field, or the last user message before the first assistant turn. */
    private String promptOf(DataFormat f, JsonNode record) {
        return switch (f) {
            case PROMPT_RESPONSE -> prompt(record);
            case MESSAGES -> {
                String prompt = null;
                for (ChatMessage m : RecordFields.conversation(record, columns).messages()) {
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
