package io.dftune.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.objective.DftObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an engine step's cost grows with sequence length (fixed tokens per step) and with model
 * size (fixed batch), for extrapolating to other hardware.
 */
final class ScalingBench implements Benchmark {
    private static final int TOKENS_PER_STEP = 2048;

    @Override
    public ObjectNode run(Context context) {
        return context.child("scaling", "6g", List.of(Boolean.toString(context.quick())));
    }

    static ObjectNode child(String[] args) {
        boolean quick = Boolean.parseBoolean(args[0]);
        int steps = quick ? 1 : 5;
        Doc doc = new Doc("How cost grows");
        ArrayNode points = doc.data().putArray("points");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelConfig headline = quick ? BenchModels.tiny() : BenchModels.headline();
            List<List<String>> byLength = new ArrayList<>();
            for (int length : quick ? new int[] {32, 64} : new int[] {128, 256, 512, 1024}) {
                int rows = (quick ? 64 : TOKENS_PER_STEP) / length;
                byLength.add(point(manager, headline, rows, length, steps, points));
            }
            Map<String, ModelConfig> ladder = quick ? Map.of("tiny", BenchModels.tiny()) : BenchModels.ladder();
            int sizeRows = quick ? 2 : 8;
            int sizeLength = quick ? 32 : 256;
            List<List<String>> bySize = new ArrayList<>();
            for (ModelConfig config : new LinkedHashMap<>(ladder).values()) {
                bySize.add(point(manager, config, sizeRows, sizeLength, steps, points));
            }
            List<String> header = List.of(
                    "params",
                    "batch x T",
                    "step seconds: median (IQR, range, n)",
                    "tokens/s",
                    "ms per 1k tokens",
                    "model GFLOP/s (6N + attention)");
            doc.line(
                    "Full engine DFT steps (one micro-batch), 1 warm-up step discarded, %d measured per point; FLOPs "
                            + "as in the training-speed section (6 x params x tokens, plus 12 x layers x T x heads x head_dim "
                            + "per token for attention).%n",
                    steps);
            doc.line(
                    "Sequence length, %s-parameter model, %d tokens per step:%n",
                    TrainingSpeedBench.compact(headline.parameterCount()), quick ? 64 : TOKENS_PER_STEP);
            doc.table(header, byLength);
            doc.line("Model size, batch %d x %d:%n", sizeRows, sizeLength);
            doc.table(header, bySize);
        }
        return doc.finish();
    }

    private static List<String> point(
            NDManager parent, ModelConfig config, int rows, int length, int steps, ArrayNode points) {
        Batch batch = BenchModels.syntheticBatch(rows, length, config.vocabSize(), 13);
        Samples seconds = new Samples();
        try (NDManager manager = parent.newSubManager()) {
            CausalLm model = BenchModels.initialize(config, manager);
            EngineTrainer trainer = new EngineTrainer(model, new DftObjective());
            for (int i = 0; i < steps + 1; i++) {
                double s = trainer.step(List.of(batch));
                if (i > 0) {
                    seconds.add(s);
                }
            }
        }
        long tokens = BenchModels.inputTokens(batch);
        long params = config.parameterCount();
        double tokensPerSecond = tokens / seconds.median();
        double flopsPerToken =
                6.0 * params + 12.0 * config.numHiddenLayers() * length * config.numAttentionHeads() * config.headDim();
        Bench.log("%s params, %d x %d: %.3f s", TrainingSpeedBench.compact(params), rows, length, seconds.median());
        ObjectNode point = points.addObject();
        point.put("params", params);
        point.put("rows", rows);
        point.put("length", length);
        point.set("seconds", seconds.toJson());
        point.put("tokens_per_second", tokensPerSecond);
        return List.of(
                Doc.f("%,d", params),
                rows + " x " + length,
                seconds.describe("%.3f"),
                Doc.f("%,.0f", tokensPerSecond),
                Doc.f("%.1f", 1000 * seconds.median() / (tokens / 1000.0)),
                Doc.f("%.1f", flopsPerToken * tokensPerSecond / 1e9));
    }
}
