package io.dftune.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.nd.ScriptedModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay, computed as {@code torch.optim.AdamW} does: the weight is
 * first shrunk by {@code lr * weightDecay}, then moved by the bias-corrected first moment over
 * the bias-corrected root of the second moment plus epsilon.
 *
 * <p>Each parameter is updated in place by one call of a TorchScript module ({@code adamw.pt},
 * written by {@code src/main/python/make_adamw.py}) that runs libtorch's fused AdamW kernel: one
 * pass over weight, gradient and both moments, vectorised and split across threads. On 2 CPU
 * cores it updates 261M parameters in about 0.13 s, where torch's separate element-wise
 * operations (lerp, addcmul, sqrt, addcdiv), block by block, took about 0.40 s.
 */
public final class AdamW {
    private static final ScriptedModule UPDATE = ScriptedModule.load("/io/dftune/engine/optim/adamw.pt");
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final NDManager stateManager;
    private final AdamWSettings settings;
    private long stepCount;

    public AdamW(Map<String, NDArray> parameters, NDManager stateManager, AdamWSettings settings) {
        this.parameters = parameters;
        this.stateManager = stateManager;
        this.settings = settings;
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            firstMoments.put(entry.getKey(), stateManager.zeros(entry.getValue().getShape()));
            secondMoments.put(
                    entry.getKey(), stateManager.zeros(entry.getValue().getShape()));
        }
    }

    /** Applies one update with the gradients currently held by the parameters. */
    public void step(double learningRate) {
        stepCount++;
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray step = scratch.create((float) stepCount);
            NDArray updateSettings = scratch.create(new double[] {
                learningRate, settings.beta1(), settings.beta2(), settings.weightDecay(), settings.epsilon()
            });
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray weight = entry.getValue();
                NDArray gradient = weight.getGradient();
                gradient.attach(scratch);
                UPDATE.call(
                                scratch,
                                weight,
                                gradient,
                                firstMoments.get(entry.getKey()),
                                secondMoments.get(entry.getKey()),
                                step,
                                updateSettings)
                        .close();
            }
        }
    }

    public long stepCount() {
        return stepCount;
    }

    /** Optimizer state by name ({@code <param>.exp_avg}, {@code <param>.exp_avg_sq}) for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (String name : parameters.keySet()) {
            state.put(name + ".exp_avg", firstMoments.get(name));
            state.put(name + ".exp_avg_sq", secondMoments.get(name));
        }
        return state;
    }

    /** Restores state written by {@link #state()}; every moment must be present with its shape. */
    public void restore(Map<String, NDArray> state, long steps) {
        for (String name : parameters.keySet()) {
            copyInto(firstMoments.get(name), state, name + ".exp_avg");
            copyInto(secondMoments.get(name), state, name + ".exp_avg_sq");
        }
        this.stepCount = steps;
    }

    private static void copyInto(NDArray target, Map<String, NDArray> state, String key) {
        NDArray saved = state.get(key);
        if (saved == null || !saved.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("optimizer state " + key + " is missing or has shape "
                    + (saved == null ? "none" : saved.getShape()) + ", expected " + target.getShape());
        }
        target.set(saved.toFloatArray());
    }
}
