package io.dftune.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.optim.AdamW;
import io.dftune.engine.optim.GradientClipping;
import io.dftune.engine.train.GradientStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Training speed (engine vs the same step as one TorchScript graph, interleaved in one JVM),
 * the float32 matmul peak of this CPU through libtorch, and the engine's model FLOP/s over it.
 */
final class TrainingSpeedBench implements Benchmark {
    static final double SPEED_TARGET = 0.97;
    static final double PEAK_TARGET = 0.70;
    private static final String PROBE = "matmul peak probe";

    @Override
    public ObjectNode run(Context context) {
        return context.child("speed", "6g", List.of(context.root().toString(), Boolean.toString(context.quick())));
    }

    static ObjectNode child(String[] args) {
        Path root = Path.of(args[0]);
        boolean quick = Boolean.parseBoolean(args[1]);
        Workload work = Workload.headline(quick, 20);
        ModelConfig config = work.config();
        int rows = work.rows();
        int length = work.length();
        int warmup = work.warmupRounds();
        int rounds = work.rounds();
        Batch batch = work.batch(7);
        long tokens = BenchModels.inputTokens(batch);
        long params = config.parameterCount();
        Doc doc = new Doc("Training speed: engine vs one TorchScript graph");
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchScriptTrainer script = TorchScriptTrainer.build(root, config, manager);
            CausalLm model = script.engineCopy(config, manager);
            EngineTrainer engine = new EngineTrainer(model, new DftObjective());

            GradientStep.Result engineCheck = engine.gradients(List.of(batch));
            double scriptNorm = script.gradients(batch);
            double engineLoss = engineCheck.stats().objectiveLoss();
            double scriptLoss = script.lastStats().objectiveLoss();
            double lossDiff = Math.abs(engineLoss - scriptLoss) / Math.abs(scriptLoss);
            double normDiff = Math.abs(engineCheck.gradNorm() - scriptNorm) / scriptNorm;
            Bench.log(
                    "same start: loss engine %.7f torchscript %.7f; grad norm %.6f vs %.6f",
                    engineLoss, scriptLoss, engineCheck.gradNorm(), scriptNorm);
            if (lossDiff > 1e-4 || normDiff > 1e-3) {
                throw new IllegalStateException("engine and TorchScript disagree before timing: loss " + engineLoss
                        + " vs " + scriptLoss + ", grad norm " + engineCheck.gradNorm() + " vs " + scriptNorm);
            }

            // The peak probe runs in every round, so each round's engine FLOP/s is compared with the
            // peak of that moment: on a shared machine both drift together.
            int probeSize = quick ? 256 : 1024;
            Map<String, DoubleSupplier> variants = new LinkedHashMap<>();
            variants.put("engine", () -> engine.step(List.of(batch)));
            variants.put("torchscript", () -> script.step(batch));
            variants.put(PROBE, MatmulPeak.probe(manager, probeSize, 5));
            Interleaved timing = Interleaved.run(warmup, rounds, variants);
            // TorchScript's time over the engine's in the same round: the engine's throughput over TorchScript's.
            // Paired per round, so that drift in machine speed cancels.
            Samples roundSpeed = timing.roundRatios("torchscript");
            double speedRatio = roundSpeed.median();

            Map<String, Samples> breakdown = engineBreakdown(model, batch, quick ? 2 : 5);
            MatmulPeak peak =
                    MatmulPeak.measure(manager, quick ? new int[] {256} : new int[] {1024, 2048, 3072}, quick ? 2 : 7);

            double engineTokensPerSecond = tokens / timing.seconds("engine").median();
            double modelFlops = 6.0 * params * engineTokensPerSecond;
            double attentionFlops = 12.0
                    * config.numHiddenLayers()
                    * length
                    * config.numAttentionHeads()
                    * config.headDim()
                    * engineTokensPerSecond;
            double probePeak = MatmulPeak.flops(probeSize, timing.seconds(PROBE).median());
            // Per round: (6 N tokens / engine seconds) / (2 n^3 / probe seconds).
            double flopsPerRatio = 6.0 * params * tokens / MatmulPeak.flops(probeSize, 1.0);
            Samples roundOfPeak = timing.roundRatios(PROBE).scaled(flopsPerRatio);
            double ofPeak = roundOfPeak.median();

            doc.line(
                    "Model: Llama layout, %,d parameters (vocab %d, hidden %d, intermediate %d, %d layers, %d heads, "
                            + "%d kv heads, tied embeddings); batch %d x %d = %d tokens, one micro-batch, DFT objective, "
                            + "AdamW, global-norm clipping at 1.0. Both start from the same weights; before timing, their "
                            + "loss differed by %.1e (relative) and their gradient norm by %.1e.",
                    params,
                    config.vocabSize(),
                    config.hiddenSize(),
                    config.intermediateSize(),
                    config.numHiddenLayers(),
                    config.numAttentionHeads(),
                    config.numKeyValueHeads(),
                    rows,
                    length,
                    tokens,
                    lossDiff,
                    normDiff);
            doc.line(
                    "Rounds of an engine step, a TorchScript step and a matmul peak probe (the fastest of 5 "
                            + "%d x %d products) in one JVM, every other round in reverse order, %d warm-up rounds discarded, "
                            + "%d measured.%n",
                    probeSize, probeSize, warmup, rounds);
            doc.table(
                    List.of("variant", "seconds: median (IQR, range, n)", "rate (median)"),
                    List.of(
                            List.of(
                                    "engine step",
                                    timing.seconds("engine").describe("%.3f"),
                                    Doc.f("%,.0f tokens/s", engineTokensPerSecond)),
                            List.of(
                                    "TorchScript graph step",
                                    timing.seconds("torchscript").describe("%.3f"),
                                    Doc.f(
                                            "%,.0f tokens/s",
                                            tokens
                                                    / timing.seconds("torchscript")
                                                            .median())),
                            List.of(
                                    "matmul peak probe",
                                    timing.seconds(PROBE).describe("%.4f"),
                                    Doc.f("%.1f GFLOP/s", probePeak / 1e9))));
            doc.line(
                    "Engine throughput / TorchScript throughput: **%.3f** (median of the rounds' ratios: %s); ratio "
                            + "of medians %.3f.%n",
                    speedRatio, roundSpeed.describe("%.3f"), timing.ratioOfMedians("torchscript", "engine"));
            List<List<String>> parts = new ArrayList<>();
            breakdown.forEach((part, s) -> parts.add(List.of(part, s.describe("%.3f"))));
            doc.line(
                    "Where an engine step's time goes (same computation split at its natural seams, medians of %d "
                            + "steps):%n",
                    breakdown.values().iterator().next().count());
            doc.table(List.of("part", "seconds"), parts);
            doc.line(
                    "float32 matmul peak through libtorch after the rounds (C = A x B, n x n, 2n^3 FLOPs, medians of "
                            + "%d):%n",
                    peak.repeats());
            doc.table(List.of("n", "GFLOP/s"), peak.rows());
            doc.line(
                    "Model FLOP/s = 6 x %,d parameters (every tensor; the tied embedding counted once, as the LM head) x "
                            + "tokens/s. Over the peak probe of the same round: **%.1f%%** (median over rounds; %s). "
                            + "With medians over the run: %.1f GFLOP/s (%,.0f tokens/s) = %.1f%% of the probe's %.1f "
                            + "GFLOP/s, %.1f%% of the best size in the table after the rounds (%.1f GFLOP/s). Counting "
                            + "attention's score and context matmuls too (12 x layers x T x heads x head_dim per token) "
                            + "adds %.1f points.",
                    params,
                    100 * ofPeak,
                    roundOfPeak.scaled(100).describe("%.1f%%"),
                    modelFlops / 1e9,
                    engineTokensPerSecond,
                    100 * modelFlops / probePeak,
                    probePeak / 1e9,
                    100 * modelFlops / peak.best(),
                    peak.best() / 1e9,
                    100 * attentionFlops / probePeak);
            doc.summary(
                    "training speed (engine / TorchScript tokens/s)",
                    Doc.f("%.3f", speedRatio),
                    ">= " + SPEED_TARGET,
                    speedRatio >= SPEED_TARGET);
            doc.summary(
                    Doc.f("model FLOP/s / matmul peak (%s params, T=%d)", compact(params), length),
                    Doc.f(
                            "%.1f%% (median of rounds; %.1f of %.1f GFLOP/s with medians)",
                            100 * ofPeak, modelFlops / 1e9, probePeak / 1e9),
                    ">= 70%",
                    ofPeak >= PEAK_TARGET);
            ObjectNode data = doc.data();
            data.set("engine_seconds", timing.seconds("engine").toJson());
            data.set("torchscript_seconds", timing.seconds("torchscript").toJson());
            data.put("speed_ratio", speedRatio);
            data.put("tokens", tokens);
            data.put("params", params);
            data.put("peak_flops", peak.best());
            data.set("peak_probe_seconds", timing.seconds(PROBE).toJson());
            data.put("peak_probe_flops", probePeak);
            data.set("model_flops_fraction_per_round", roundOfPeak.toJson());
            data.put("model_flops_fraction", ofPeak);
            ObjectNode breakdownJson = data.putObject("breakdown");
            breakdown.forEach((part, s) -> breakdownJson.set(part, s.toJson()));
            script.close();
        }
        return doc.finish();
    }

    static String compact(long params) {
        return Doc.f("%.1fM", params / 1e6);
    }

    /**
     * The engine step cut where {@link ResponseLoss} cuts it: transformer forward, chunked loss
     * (head forward and backward), transformer backward, clipping, AdamW.
     */
    private static Map<String, Samples> engineBreakdown(CausalLm model, Batch batch, int steps) {
        Map<String, Samples> parts = new LinkedHashMap<>();
        for (String part : List.of(
                "transformer forward",
                "loss: LM head + DFT, forward and backward",
                "transformer backward",
                "drop + clip gradients",
                "AdamW",
                "total")) {
            parts.put(part, new Samples());
        }
        ResponseLoss loss = new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS);
        AdamW optimizer = new AdamW(model.parameters(), model.manager().newSubManager(), EngineTrainer.ADAMW);
        ResponseLoss.Step lossStep =
                new ResponseLoss.Step(model, null, new DftObjective(), batch.responseTokenCount(), 0.5);
        for (int step = 0; step < steps + 1; step++) {
            long t0 = System.nanoTime();
            model.releaseGradients();
            long t1 = System.nanoTime();
            long t2;
            long t3;
            long t4;
            try (NDManager scope = model.manager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ResponseLoss.Pass pass = loss.begin(lossStep, batch, scope);
                t2 = System.nanoTime();
                pass.lossBackward(collector);
                t3 = System.nanoTime();
                pass.transformerBackward();
                t4 = System.nanoTime();
            }
            long t5 = System.nanoTime();
            GradientClipping.clip(model.trainableParameters().values(), 1.0, model.manager());
            long t6 = System.nanoTime();
            optimizer.step(EngineTrainer.LEARNING_RATE);
            long t7 = System.nanoTime();
            if (step == 0) {
                continue; // warm-up
            }
            parts.get("transformer forward").add((t2 - t1) / 1e9);
            parts.get("loss: LM head + DFT, forward and backward").add((t3 - t2) / 1e9);
            parts.get("transformer backward").add((t4 - t3) / 1e9);
            parts.get("drop + clip gradients").add(((t1 - t0) + (t6 - t5)) / 1e9);
            parts.get("AdamW").add((t7 - t6) / 1e9);
            parts.get("total").add((t7 - t0) / 1e9);
        }
        return parts;
    }
}
