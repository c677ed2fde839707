package io.dftune.trainer.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.eval.Evaluation;
import io.dftune.engine.eval.Evaluator;
import io.dftune.engine.eval.ResultsJsonl;
import io.dftune.engine.io.MetricJson;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.AnswerComparison;
import io.dftune.spec.AnswerExtraction;
import io.dftune.spec.EvalSpec;
import io.dftune.spec.SpecValidator;
import io.dftune.spec.Violation;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dftune eval}: scores a model on a data set; the last stdout line is one JSON object. */
@Command(name = "eval", description = "Evaluate a model directory on a data set (JSONL, JSON or Parquet).")
final class EvalCommand implements Callable<Integer> {
    /** Which option sets which field of {@code spec.eval}. */
    private static final Map<String, String> OPTIONS = Map.of(
            "spec.eval.maxNewTokens", "--max-new-tokens",
            "spec.eval.samples", "--samples",
            "spec.eval.temperature", "--temperature",
            "spec.eval.topP", "--top-p",
            "spec.eval.pattern", "--pattern",
            "spec.eval.extract", "--extract",
            "spec.eval.compare", "--compare");

    /** Reads option values as the manifest's enum names (boxed, math, ...). */
    private static final ObjectMapper ENUMS = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Hugging Face model directory, or a PEFT adapter directory (see --base)")
    Path model;

    @Option(
            names = "--base",
            paramLabel = "DIR",
            description = "With an adapter directory: its base model (default: the adapter's base_model_name_or_path)")
    Path base;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "PATH",
            description = "Data set: a .jsonl, .json or .parquet file, a folder of Parquet shards or a glob")
    Path data;

    @Mixin
    ColumnsOption columns;

    @Option(
            names = "--max-length",
            defaultValue = "512",
            description = "Token limit per example (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(
            names = "--batch-size",
            defaultValue = "8",
            description = "Examples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-new-tokens", description = "Tokens generated per completion (default: spec.eval's, 64).")
    Integer maxNewTokens;

    @Option(
            names = "--samples",
            paramLabel = "K",
            description = "Sampled completions per example for avg@k, pass@k, maj@k (default: 0, greedy only).")
    Integer samples;

    @Option(names = "--temperature", description = "Sampling temperature (default: 1.0).")
    Double temperature;

    @Option(names = "--top-p", description = "Nucleus sampling top-p (default: 1.0).")
    Double topP;

    @Option(names = "--seed", description = "Seed of the samples (default: 0).")
    Long seed;

    @Option(
            names = "--extract",
            description = "How the final answer is read: marker, boxed or regex (default: marker).")
    String extract;

    @Option(names = "--pattern", description = "--extract regex: the answer is the last match's first group.")
    String pattern;

    @Option(names = "--compare", description = "exact or math (equal numbers and simple LaTeX forms) (default: exact).")
    String compare;

    @Option(
            names = "--results",
            paramLabel = "FILE.jsonl",
            description =
                    "Write what the model answered to each example: prompt, answer, completions, extracted, correct.")
    Path results;

    @Option(names = "--max-examples", defaultValue = "0", description = "Evaluate only the first N examples (0 = all).")
    int maxExamples;

    @Option(
            names = "--answer-marker",
            defaultValue = "####",
            description = "Text before the final answer in completions (default: ${DEFAULT-VALUE}).")
    String answerMarker;

    @Override
    public Integer call() throws Exception {
        EvalSpec settings = settings();
        try (NDManager root = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(model);
                CausalLm lm = ModelDirectory.loadModelOrAdapter(model, base, root)) {
            LoadedDataset dataset = DatasetLoader.load(data, tokenizer, maxLength, columns.options());
            Evaluator evaluator = new Evaluator(
                    new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS),
                    tokenizer,
                    batchSize,
                    maxExamples,
                    settings,
                    answerMarker);
            Evaluation evaluation = evaluator.run(lm, dataset.examples(), 0);
            EvalMetrics metrics = evaluation.metrics();
            if (results != null) {
                ResultsJsonl.write(results, evaluation.results());
            }
            System.err.println(ProgressDisplay.describe(metrics));
            ObjectMapper json = new ObjectMapper();
            var line = MetricJson.put(json.createObjectNode(), EvalMetric.values(), metrics::value);
            line.remove("step");
            line.put("examples", dataset.size());
            line.put("skipped", dataset.skippedCount());
            System.out.println(json.writeValueAsString(line));
            return ExitCodes.SUCCEEDED;
        }
    }

    /** The options as {@code spec.eval}, checked by the spec's rules; a bad one names its option. */
    private EvalSpec settings() {
        EvalSpec eval = new EvalSpec(); // spec.eval's defaults for what the options leave out
        Optional.ofNullable(maxNewTokens).ifPresent(eval::setMaxNewTokens);
        Optional.ofNullable(samples).ifPresent(eval::setSamples);
        Optional.ofNullable(temperature).ifPresent(eval::setTemperature);
        Optional.ofNullable(topP).ifPresent(eval::setTopP);
        Optional.ofNullable(seed).ifPresent(eval::setSeed);
        Optional.ofNullable(extract).ifPresent(e -> eval.setExtract(option("--extract", e, AnswerExtraction.class)));
        eval.setPattern(pattern);
        Optional.ofNullable(compare).ifPresent(c -> eval.setCompare(option("--compare", c, AnswerComparison.class)));
        List<Violation> violations = SpecValidator.validateEval(eval);
        if (!violations.isEmpty()) {
            Violation first = violations.get(0);
            throw new ParameterException(spec.commandLine(), OPTIONS.get(first.field()) + " " + first.message());
        }
        return eval;
    }

    private <E extends Enum<E>> E option(String name, String value, Class<E> type) {
        try {
            return ENUMS.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> ENUMS.convertValue(c, String.class))
                    .collect(Collectors.joining(", "));
            throw new ParameterException(
                    spec.commandLine(), name + " must be one of " + allowed + " (got " + value + ")");
        }
    }
}
