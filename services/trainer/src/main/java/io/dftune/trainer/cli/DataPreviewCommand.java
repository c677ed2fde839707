package io.dftune.trainer.cli;

import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.RecordPreview;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.TrainingSpec;
import io.dftune.spec.run.ExitCodes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dftune data preview}: the first records of a data file rendered and tokenized with a model's
 * tokenizer and chat template, the trained tokens marked, so a template and its masks can be checked before
 * training. Needs only the model's tokenizer files, not its weights.
 */
@Command(
        name = "preview",
        description = "Show the first records of a data file as training sees them, trained tokens marked.")
final class DataPreviewCommand implements Callable<Integer> {

    /** Colour when printing to a terminal, else the plain markers. */
    enum Color {
        auto,
        always,
        never
    }

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model directory (tokenizer.json, tokenizer_config.json)")
    Path model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "PATH",
            description = "Data set: a .jsonl, .json or .parquet file, a folder of Parquet shards or a glob")
    Path data;

    @Mixin
    ColumnsOption columns;

    @Option(
            names = "--records",
            defaultValue = "3",
            paramLabel = "N",
            description = "How many records to show (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--max-length",
            paramLabel = "TOKENS",
            description = "Token limit per example, as a job's spec.training.maxLength (default: that field's "
                    + "default, ${DEFAULT-VALUE}).")
    int maxLength = new TrainingSpec().getMaxLength();

    @Option(
            names = "--json",
            description = "One JSON object per record: position, text, input_ids, completion_mask, tokens, "
                    + "trained_tokens, truncated_tokens.")
    boolean json;

    @Option(
            names = "--color",
            defaultValue = "auto",
            paramLabel = "WHEN",
            description = "Mark trained tokens with colour: auto (on a terminal), always, never (default: "
                    + "${DEFAULT-VALUE}); without colour they are bracketed by " + PreviewPrinter.OPEN + " and "
                    + PreviewPrinter.CLOSE + ".")
    Color color;

    @Override
    public Integer call() {
        if (records < 1) {
            throw new IllegalArgumentException("--records must be at least 1, got " + records);
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("--max-length must be at least 2, got " + maxLength);
        }
        try (ModelTokenizer tokenizer = ModelTokenizer.load(model)) {
            List<RecordPreview> previews =
                    DatasetLoader.preview(data, tokenizer, maxLength, records, columns.options());
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            boolean ansi = color == Color.always || (color == Color.auto && System.console() != null);
            PreviewPrinter printer = new PreviewPrinter(tokenizer, maxLength, ansi);
            for (RecordPreview p : previews) {
                out.println(json ? printer.json(p) : printer.text(p));
            }
            return ExitCodes.SUCCEEDED;
        }
    }
}
