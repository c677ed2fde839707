package io.dftune.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import io.dftune.engine.objective.DftObjective;
import io.dftune.engine.objective.ResponseLoss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peak memory of the loss alone (LM head, log-softmax, DFT, backward into the head weight and the
 * hidden states) for a Qwen2-sized vocabulary: the engine's chunked {@link ResponseLoss} vs
 * {@link NaiveLoss}. Each measurement is a fresh JVM: after set-up it resets the kernel's peak-RSS
 * mark ({@code /proc/self/clear_refs}), runs one loss forward+backward, and reports the peak RSS
 * above the RSS it started from. The Java heap is pre-touched, so it does not grow into the peak.
 */
final class LossMemoryBench implements Benchmark {
    static final int QWEN2_VOCAB = 151_936;
    static final int QWEN2_05B_HIDDEN = 896;
    static final int TARGET_TOKENS = 8192;
    private static final int ROW_TOKENS = 1024;
    private static final double TARGET = 0.25;
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Override
    public ObjectNode run(Context context) {
        int vocab = context.quick() ? 5_000 : QWEN2_VOCAB;
        int hidden = context.quick() ? 64 : QWEN2_05B_HIDDEN;
        int repeats = context.quick() ? 1 : Integer.parseInt(System.getenv().getOrDefault("BENCH_LOSS_REPEATS", "3"));
        int[] sizes = context.quick() ? new int[] {2048, 4096} : new int[] {2048, 4096, TARGET_TOKENS};
        Map<String, Samples> peaks = new LinkedHashMap<>();
        Map<String, ObjectNode> last = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        ArrayNode raw = Bench.JSON.createArrayNode();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (int tokens : sizes) {
                for (String variant : List.of("chunked", "naive")) {
                    String key = variant + " " + tokens;
                    double estimate = naiveEstimate(tokens, vocab, hidden);
                    if (variant.equals("naive") && estimate > 0.8 * availableBytes()) {
                        if (repeat == 0) {
                            skipped.add(Doc.f(
                                    "naive at %d tokens (needs about %.1f GiB, %.1f GiB available)",
                                    tokens, estimate / GIB, availableBytes() / GIB));
                        }
                        continue;
                    }
                    ObjectNode result = context.child(
                            "loss-variant",
                            "2g",
                            List.of(
                                    variant,
                                    Integer.toString(tokens),
                                    Integer.toString(vocab),
                                    Integer.toString(hidden)));
                    Bench.log(
                            "loss %s: peak +%.2f GiB",
                            key, result.get("peak_bytes").asDouble() / GIB);
                    raw.add(result);
                    peaks.computeIfAbsent(key, k -> new Samples())
                            .add(result.get("peak_bytes").asDouble());
                    last.put(key, result);
                }
            }
        }
        return report(vocab, hidden, sizes, repeats, peaks, last, skipped, raw);
    }

    private static ObjectNode report(
            int vocab,
            int hidden,
            int[] sizes,
            int repeats,
            Map<String, Samples> peaks,
            Map<String, ObjectNode> last,
            List<String> skipped,
            ArrayNode raw) {
        Doc doc = new Doc("Loss memory: chunked vs all logits");
        doc.line(
                "Vocabulary %,d, hidden size %d (Qwen2-0.5B), tied head; rows of %d trained tokens; DFT objective; "
                        + "engine chunk %d tokens. Peak RSS above the start of the loss step, fresh JVM per measurement, "
                        + "%d repeat(s), chunked and naive alternating.%n",
                vocab, hidden, ROW_TOKENS, ResponseLoss.DEFAULT_CHUNK_TOKENS, repeats);
        List<List<String>> rows = new ArrayList<>();
        List<double[]> naivePoints = new ArrayList<>();
        boolean same = true;
        for (int tokens : sizes) {
            Samples chunked = peaks.get("chunked " + tokens);
            Samples naive = peaks.get("naive " + tokens);
            String agreement = "-";
            if (naive != null) {
                naivePoints.add(new double[] {tokens, naive.median()});
                String difference = compare(last.get("chunked " + tokens), last.get("naive " + tokens));
                same &= difference.startsWith("same");
                agreement = difference;
            }
            rows.add(List.of(
                    Integer.toString(tokens),
                    gib(chunked),
                    naive == null ? "not run" : gib(naive),
                    naive == null ? "-" : Doc.f("%.1f%%", 100 * chunked.median() / naive.median()),
                    agreement));
        }
        doc.table(
                List.of("tokens", "chunked peak GiB", "naive peak GiB", "chunked / naive", "values and gradients"),
                rows);
        double chunkedTarget = peaks.get("chunked " + sizes[sizes.length - 1]).median();
        Samples naiveAtTarget = peaks.get("naive " + sizes[sizes.length - 1]);
        double naiveTarget;
        String naiveHow;
        if (naiveAtTarget != null) {
            naiveTarget = naiveAtTarget.median();
            naiveHow = "measured";
        } else {
            double[] fit = line(naivePoints);
            naiveTarget = fit[0] + fit[1] * sizes[sizes.length - 1];
            naiveHow = Doc.f(
                    "extrapolated on the line through the measured naive peaks (%.3f GiB + %.1f MiB per token)",
                    fit[0] / GIB, fit[1] / 1024 / 1024);
        }
        if (!skipped.isEmpty()) {
            doc.line("Not run, too big for this machine's free memory: %s.%n", String.join("; ", skipped));
        }
        double ratio = chunkedTarget / naiveTarget;
        doc.line(
                "At %d tokens: chunked %.2f GiB, naive %.2f GiB (%s): **%.1f%%**. Values and gradients (loss, L2 norm and "
                        + "a fixed random projection of the hidden-state and head-weight gradients) agree wherever both "
                        + "ran: %s.",
                sizes[sizes.length - 1],
                chunkedTarget / GIB,
                naiveTarget / GIB,
                naiveHow,
                100 * ratio,
                same ? "yes" : "NO");
        doc.summary(
                Doc.f("loss peak memory, chunked / naive (V=%,d, %d tokens)", vocab, sizes[sizes.length - 1]),
                Doc.f(
                        "%.1f%% (%.2f vs %.2f GiB%s)",
                        100 * ratio,
                        chunkedTarget / GIB,
                        naiveTarget / GIB,
                        naiveAtTarget == null ? ", naive extrapolated" : ""),
                "<= 25%, same values and gradients",
                ratio <= TARGET && same);
        doc.data().set("runs", raw);
        ObjectNode result = doc.finish();
        result.set("libtorch", raw.get(0).get("libtorch"));
        result.set("torch_threads", raw.get(0).get("torch_threads"));
        return result;
    }

    private static String gib(Samples s) {
        return Doc.f("%.2f (range %.2f-%.2f, n=%d)", s.median() / GIB, s.min() / GIB, s.max() / GIB, s.count());
    }

    /** Least-squares line through (x, y) points: {intercept, slope}. */
    static double[] line(List<double[]> points) {
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {(sy - slope * sx) / n, slope};
    }

    private static String compare(ObjectNode a, ObjectNode b) {
        double worst = 0;
        for (String field :
                List.of("loss", "hidden_grad_l2", "head_grad_l2", "hidden_grad_projection", "head_grad_projection")) {
            double x = a.get(field).asDouble();
            double y = b.get(field).asDouble();
            worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), 1e-12));
        }
        return worst < 1e-4 ? Doc.f("same (max rel. diff %.1e)", worst) : Doc.f("DIFFER (max rel. diff %.1e)", worst);
    }

    /** Bytes the naive loss needs: about five [positions, V] float arrays plus the head and its gradient. */
    private static double naiveEstimate(int tokens, int vocab, int hidden) {
        double positions = tokens + tokens / (double) ROW_TOKENS;
        return 5 * positions * vocab * 4 + 2.0 * vocab * hidden * 4;
    }

    private static double availableBytes() {
        return meminfo("/proc/meminfo", "MemAvailable:");
    }

    /** One "kB" field of a /proc status file, in bytes. */
    static double meminfo(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return Double.parseDouble(
                                    line.substring(field.length()).trim().split("\\s+")[0])
                            * 1024;
                }
            }
            throw new IllegalStateException(field + " not in " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One measurement (in its own JVM): variant, trained tokens, vocabulary, hidden size. */
    static ObjectNode child(String[] args) {
        String variant = args[0];
        int tokens = Integer.parseInt(args[1]);
        int vocab = Integer.parseInt(args[2]);
        int hidden = Integer.parseInt(args[3]);
        int rows = tokens / ROW_TOKENS;
        ModelConfig config = ModelConfig.builder(Architecture.QWEN2)
                .sizes(vocab, hidden, 8, 1, 1, 1)
                .headDim(8)
                .tieWordEmbeddings(true)
                .build();
        Batch batch = BenchModels.syntheticBatch(rows, ROW_TOKENS + 1, vocab, 17);
        ObjectNode result = Bench.JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = ModelInitializer.initialize(config, manager, BenchModels.SEED, 0.02);
            model.setTrainable(true);
            NDManager scope = manager.newSubManager();
            Engine.getInstance().setRandomSeed(5);
            NDArray flatHidden = scope.randomNormal(new Shape((long) rows * (ROW_TOKENS + 1), hidden));
            flatHidden.setRequiresGradient(true);
            System.gc();
            long baseline = (long) meminfo("/proc/self/status", "VmRSS:");
            resetPeak();
            long started = System.nanoTime();
            double loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                if (variant.equals("chunked")) {
                    ResponseLoss.Pass pass = new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS)
                            .fromHidden(
                                    new ResponseLoss.Step(
                                            model, null, new DftObjective(), batch.responseTokenCount(), 1.0),
                                    batch,
                                    flatHidden,
                                    scope);
                    pass.lossBackward(collector);
                    pass.transformerBackward();
                    loss = pass.stats().objectiveLoss();
                } else {
                    loss = NaiveLoss.forwardBackward(
                            model, flatHidden, batch, batch.responseTokenCount(), new DftObjective(), collector, scope);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long peak = (long) meminfo("/proc/self/status", "VmHWM:");
            result.put("variant", variant);
            result.put("tokens", tokens);
            result.put("peak_bytes", peak - baseline);
            result.put("baseline_rss_bytes", baseline);
            result.put("seconds", seconds);
            result.put("loss", loss);
            NDArray hiddenGrad = flatHidden.getGradient();
            NDArray headGrad = model.lmHeadWeight().getGradient();
            result.put("hidden_grad_l2", hiddenGrad.norm().getFloat());
            result.put("head_grad_l2", headGrad.norm().getFloat());
            result.put("hidden_grad_projection", projection(hiddenGrad));
            result.put("head_grad_projection", projection(headGrad));
        }
        return result;
    }

    /** The gradient's dot product with a fixed pattern (sin of the flat index): equal iff gradients agree. */
    private static double projection(NDArray gradient) {
        try (NDManager scope = gradient.getManager().newSubManager()) {
            NDArray flat = gradient.reshape(-1);
            flat.attach(scope);
            NDArray pattern = scope.arange(0f, (float) flat.size(), 1f).sin();
            return flat.mul(pattern).sum().getFloat();
        }
    }

    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak RSS mark", e);
        }
    }
}
