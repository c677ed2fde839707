package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Activation checkpointing: the forward pass runs without autograd, keeping only each layer's
 * input; backward recomputes one layer at a time from its input, with autograd, and pushes the
 * gradient through it (a vector-Jacobian product). Memory holds the layer inputs plus one layer's
 * activations instead of every layer's, for one more forward pass of compute. The gradients are
 * those of the plain pass.
 */
final class CheckpointedForward implements TrainingForward {
    private final CausalLm model;
    private final NDArray inputIds;
    private final CausalLm.Context context;
    private final NDArray[] layerInputs;
    private final NDArray lastOutput;
    private final NDArray hidden;

    CheckpointedForward(CausalLm model, NDArray inputIds, CausalLm.Context context) {
        this.model = model;
        this.inputIds = inputIds;
        this.context = context;
        NDManager scope = inputIds.getManager();
        int layers = model.config().numHiddenLayers();
        layerInputs = new NDArray[layers];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        NDArray x;
        try {
            x = model.embed(inputIds);
            for (int layer = 0; layer < layers; layer++) {
                layerInputs[layer] = x;
                try (NDManager layerScope = scope.newSubManager()) {
                    // The layer's intermediate arrays go where its input lives: here, so that they
                    // are freed with the layer; the input itself is kept for the recomputation.
                    x.attach(layerScope);
                    NDArray out = model.layer(x, layer, context);
                    out.attach(scope);
                    layerInputs[layer].attach(scope);
                    x = out;
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        lastOutput = x;
        lastOutput.setRequiresGradient(true);
        hidden = model.finalNorm(lastOutput, context);
    }

    @Override
    public NDArray hidden() {
        return hidden;
    }

    @Override
    public void backward(NDArray hiddenGradient) {
        NDManager scope = inputIds.getManager();
        JniUtils.backward((PtNDArray) hidden, (PtNDArray) hiddenGradient, false, false);
        NDArray gradient = detachedGradient(lastOutput, scope);
        for (int layer = layerInputs.length - 1; layer >= 0; layer--) {
            try (NDManager layerScope = scope.newSubManager()) {
                NDArray input = layerInputs[layer];
                input.attach(layerScope);
                input.setRequiresGradient(true);
                NDArray out = model.layer(input, layer, context);
                JniUtils.backward((PtNDArray) out, (PtNDArray) gradient, false, false);
                gradient.close();
                gradient = detachedGradient(input, scope);
            }
        }
        if (model.embeddingsTrain()) {
            try (NDManager embedScope = scope.newSubManager()) {
                NDArray ids = inputIds.duplicate();
                ids.attach(embedScope);
                JniUtils.backward((PtNDArray) model.embed(ids), (PtNDArray) gradient, false, false);
            }
        }
        gradient.close();
    }

    /** A copy of x's gradient in {@code scope} (the gradient itself is a live view owned by x). */
    private static NDArray detachedGradient(NDArray x, NDManager scope) {
        NDArray copy = x.getGradient().duplicate();
        copy.attach(scope);
        return copy;
    }
}
