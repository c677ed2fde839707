package io.dftune.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A forward pass of training, cut at the final hidden states: the loss is computed from
 * {@link #hidden()} on its own, and its gradient there is then pushed through the model once.
 */
public interface TrainingForward {
    /** Final-norm hidden states [B, T, H], in the autograd graph. */
    NDArray hidden();

    /** Accumulates the parameters' gradients given {@code hiddenGradient} [B, T, H], the loss's gradient of {@link #hidden()}. */
    void backward(NDArray hiddenGradient);

    /** A pass whose whole graph autograd kept (or given hidden states that require a gradient). */
    static TrainingForward of(NDArray hidden) {
        return new TrainingForward() {
            @Override
            public NDArray hidden() {
                return hidden;
            }

            @Override
            public void backward(NDArray hiddenGradient) {
                JniUtils.backward((PtNDArray) hidden, (PtNDArray) hiddenGradient, false, false);
            }
        };
    }
}
