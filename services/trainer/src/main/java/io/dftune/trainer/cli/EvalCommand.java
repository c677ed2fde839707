package io.dftune.trainer.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.LoadedDataset;
import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.eval.Evaluator;
import io.dftune.engine.io.MetricJson;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dftune eval}: scores a model on a data set; the last stdout line is one JSON object. */
@Command(name = "eval", description = "Evaluate a model directory on a data set (JSONL, JSON or Parquet).")
final class EvalCommand implements Callable<Integer> {

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

    @Option(
            names = "--max-new-tokens",
            defaultValue = "64",
            description = "Greedy tokens generated for exact match (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--max-examples", defaultValue = "0", description = "Evaluate only the first N examples (0 = all).")
    int maxExamples;

    @Option(
            names = "--answer-marker",
            defaultValue = "####",
            description = "Text before the final answer in completions (default: ${DEFAULT-VALUE}).")
    String answerMarker;

    @Override
    public Integer call() throws Exception {
        try (NDManager root = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(model);
                CausalLm lm = ModelDirectory.loadModelOrAdapter(model, base, root)) {
            LoadedDataset dataset = DatasetLoader.load(data, tokenizer, maxLength, columns.options());
            Evaluator evaluator = new Evaluator(
                    new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS),
                    tokenizer,
                    batchSize,
                    maxNewTokens,
                    maxExamples,
                    answerMarker);
            EvalMetrics metrics = evaluator.evaluate(lm, dataset.examples(), 0);
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
}
