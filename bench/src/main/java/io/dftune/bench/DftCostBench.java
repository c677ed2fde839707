package io.dftune.bench;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.SftObjective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** DFT step time over SFT step time: same model, same batch, engine steps interleaved in one JVM. */
final class DftCostBench implements Benchmark {
    static final double TARGET = 1.02;

    @Override
    public ObjectNode run(Context context) {
        return context.child("dft", "4g", List.of(Boolean.toString(context.quick())));
    }

    static ObjectNode child(String[] args) {
        boolean quick = Boolean.parseBoolean(args[0]);
        Workload work = Workload.headline(quick, 20);
        Batch batch = work.batch(11);
        Doc doc = new Doc("DFT cost: DFT step / SFT step");
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = BenchModels.initialize(work.config(), manager);
            EngineTrainer sft = new EngineTrainer(model, new SftObjective());
            EngineTrainer dft = new EngineTrainer(model, new DftObjective());
            Map<String, DoubleSupplier> variants = new LinkedHashMap<>();
            variants.put("sft", () -> sft.step(List.of(batch)));
            variants.put("dft", () -> dft.step(List.of(batch)));
            Interleaved timing = Interleaved.run(work.warmupRounds(), work.rounds(), variants);
            // Paired: each round's DFT step over its SFT step, so that drift in machine speed cancels.
            double ratio = timing.roundRatios("dft").median();
            doc.line(
                    "Model %s, every token after the first trained, one micro-batch; "
                            + "full engine steps (forward, chunked loss, backward, clipping, AdamW) alternating SFT and DFT "
                            + "(each round in the other order) on the same model, %d warm-up rounds discarded, %d measured.%n",
                    work.describe(), work.warmupRounds(), work.rounds());
            doc.table(
                    List.of("objective", "step seconds: median (IQR, range, n)"),
                    List.of(
                            List.of("SFT", timing.seconds("sft").describe("%.3f")),
                            List.of("DFT", timing.seconds("dft").describe("%.3f"))));
            doc.line(
                    "DFT / SFT: **%.3f** (median of the rounds' ratios: %s); ratio of medians %.3f.",
                    ratio, timing.roundRatios("dft").describe("%.3f"), timing.ratioOfMedians("dft", "sft"));
            doc.summary("DFT step / SFT step", Doc.f("%.3f", ratio), "<= " + TARGET, ratio <= TARGET);
            doc.data().set("sft_seconds", timing.seconds("sft").toJson());
            doc.data().set("dft_seconds", timing.seconds("dft").toJson());
            doc.data().put("ratio", ratio);
        }
        return doc.finish();
    }
}
