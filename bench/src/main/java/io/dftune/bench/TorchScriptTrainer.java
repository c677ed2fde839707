package io.dftune.bench;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.nd.Leaves;
import io.dftune.engine.objective.TokenStats;
import io.dftune.engine.optim.AdamW;
import io.dftune.engine.optim.GradientClipping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer of {@link EngineTrainer}: the same model, DFT loss and token statistics as one
 * TorchScript graph ({@code src/main/python/torchscript_step.py}), loaded with trainable
 * parameters and driven from Java with the same backward call, global-norm clipping and AdamW.
 */
final class TorchScriptTrainer implements AutoCloseable {
    private final Model model;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final NDManager manager;
    private TokenStats lastStats;

    private TorchScriptTrainer(Model model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            parameters.put(p.getKey(), p.getValue().getArray());
        }
        this.optimizer = new AdamW(parameters, manager.newSubManager(), EngineTrainer.ADAMW);
    }

    /** Scripts the step for {@code config} with python3-torch (weights drawn there) and loads it. */
    static TorchScriptTrainer build(Path root, ModelConfig config, NDManager manager) {
        Path dir = Bench.tempDir("torchscript");
        try {
            config.write(dir);
            Process python = new ProcessBuilder(
                            "/usr/bin/python3",
                            root.resolve("bench/src/main/python/torchscript_step.py")
                                    .toString(),
                            dir.resolve(ModelConfig.FILE_NAME).toString(),
                            dir.resolve("step.pt").toString(),
                            Long.toString(BenchModels.SEED))
                    .inheritIO()
                    .start();
            if (python.waitFor() != 0) {
                throw new IllegalStateException("torchscript_step.py failed");
            }
            Model model = Model.newInstance("dft-step", "PyTorch");
            model.load(dir, "step", Map.of("trainParam", "true"));
            return new TorchScriptTrainer(model, manager);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An engine model holding copies of this graph's weights (same Hugging Face names). */
    CausalLm engineCopy(ModelConfig config, NDManager parent) {
        NDManager copyManager = parent.newSubManager();
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (String name : config.parameterShapes().keySet()) {
            NDArray source = parameters.get(name);
            if (source == null) {
                throw new IllegalStateException(
                        "TorchScript module has no parameter " + name + ": " + parameters.keySet());
            }
            copies.put(name, copyManager.create(source.toFloatArray(), source.getShape()));
        }
        CausalLm copy = new CausalLm(config, copyManager, copies);
        copy.setTrainable(true);
        return copy;
    }

    /** One optimizer step on one batch; returns wall seconds. */
    double step(Batch batch) {
        long started = System.nanoTime();
        double gradNorm = gradients(batch);
        optimizer.step(EngineTrainer.LEARNING_RATE);
        if (!Double.isFinite(gradNorm)) {
            throw new IllegalStateException("non-finite gradient norm");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** Forward, loss, backward and clipping; returns the gradient norm before clipping. */
    double gradients(Batch batch) {
        Leaves.zeroGradients(parameters.values(), manager);
        long[][] targets = BenchModels.targets(batch);
        try (NDManager scope = manager.newSubManager()) {
            int rows = batch.size();
            int width = batch.width();
            long[] ids = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < width; t++) {
                    ids[r * width + t] = batch.inputIds()[r][t];
                }
            }
            NDList inputs = new NDList(
                    scope.create(ids, new Shape(rows, width)),
                    scope.create(targets[0]),
                    scope.create(targets[1]),
                    scope.create(1f / targets[0].length));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = model.getBlock().forward(new ParameterStore(scope, false), inputs, true);
                collector.backward(out.get(0));
                float[] targetLogProbs = out.get(1).toFloatArray();
                boolean[] correct = out.get(2).toBooleanArray();
                TokenStats stats = new TokenStats();
                stats.add(targetLogProbs, correct, out.get(0).getFloat() * targetLogProbs.length);
                lastStats = stats;
            }
        }
        return GradientClipping.clip(parameters.values(), 1.0, manager);
    }

    TokenStats lastStats() {
        return lastStats;
    }

    List<NDArray> parameters() {
        return List.copyOf(parameters.values());
    }

    @Override
    public void close() {
        model.close();
    }
}
