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
 * written by {@code src/main/python/make_adamw.py}) with torch's fused element-wise operations
 * (lerp, addcmul, addcdiv), block by block, so that its temporaries are one block and not a copy of
 * the parameter. Fourteen separate element-wise operations from Java, each a pass over the
 * parameter, took about 1.0 s per step of a 0.5B-parameter model on 2 CPU cores; the module takes
 * about 0.5 s.
 */
public final class AdamW {
    /** Elements per block on a CPU: fewer calls than smaller blocks (each costs microseconds), smaller temporaries than whole tensors. */
    static final int CPU_BLOCK = 1 << 20;

    private static final ScriptedModule UPDATE = ScriptedModule.load("/io/dftune/engine/optim/adamw.pt");
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private final NDManager stateManager;
    private final AdamWSettings settings;
    private final int blockSize;
    private long stepCount;

    public AdamW(Map<String, NDArray> parameters, NDManager stateManager, AdamWSettings settings) {
        this(parameters, stateManager, settings, defaultBlockSize(stateManager));
    }

    /** @param blockSize elements updated together; tests make it small to cross block boundaries */
    AdamW(Map<String, NDArray> parameters, NDManager stateManager, AdamWSettings settings, int blockSize) {
        this.blockSize = blockSize;
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
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        try (NDManager scratch = stateManager.newSubManager()) {
            NDArray updateSettings = scratch.create(new double[] {
                beta1,
                beta2,
                learningRate / (1 - Math.pow(beta1, stepCount)),
                Math.sqrt(1 - Math.pow(beta2, stepCount)),
                settings.epsilon(),
                1 - learningRate * settings.weightDecay(),
                blockSize
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
                                updateSettings)
                        .close();
            }
        }
    }

    /** A GPU updates each tensor whole: its memory is fast and every block would be a kernel launch. */
    private static int defaultBlockSize(NDManager manager) {
        return manager.getDevice().isGpu() ? Integer.MAX_VALUE : CPU_BLOCK;
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
