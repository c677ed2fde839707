package io.dftune.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay, computed as {@code torch.optim.AdamW} does: the weight is
 * first shrunk by {@code lr * weightDecay}, then moved by the bias-corrected first moment over
 * the bias-corrected root of the second moment plus epsilon.
 *
 * <p>Runs outside any gradient collector (no autograd graph), so plain scalar operations are
 * safe here.
 */
public final class AdamW {
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
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double stepSize = learningRate / (1 - Math.pow(beta1, stepCount));
        double secondMomentCorrection = Math.sqrt(1 - Math.pow(beta2, stepCount));
        float decay = (float) (1 - learningRate * settings.weightDecay());
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            // One parameter's temporaries (and its gradient) at a time: held for all parameters
            // until the step's end they were four more copies of the model at the step's peak.
            try (NDManager scratch = stateManager.newSubManager()) {

                NDArray weight = entry.getValue();
                NDArray gradient = weight.getGradient();
                gradient.attach(scratch);
                NDArray m = firstMoments.get(entry.getKey());
                NDArray v = secondMoments.get(entry.getKey());

                m.muli((float) beta1).addi(gradient.mul((float) (1 - beta1)));
                v.muli((float) beta2).addi(gradient.square().muli((float) (1 - beta2)));
                NDArray denominator = scratch(v.sqrt(), scratch)
                        .divi((float) secondMomentCorrection)
                        .addi((float) settings.epsilon());
                NDArray update = scratch(m.div(denominator), scratch).muli((float) stepSize);
                if (decay != 1f) {
                    weight.muli(decay);
                }
                weight.subi(update);
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

    private static NDArray scratch(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }
}
