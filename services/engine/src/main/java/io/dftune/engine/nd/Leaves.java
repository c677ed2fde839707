package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Trainable tensors (autograd leaves) held in a map by name, whose gradients each step drops. */
public final class Leaves {
    private final Map<String, NDArray> tensors;
    /** Whether the tensors' memory is libtorch's own, which the first release makes it. */
    private boolean storageOwned;

    /** @param tensors the map whose values {@link #releaseGradients} replaces */
    public Leaves(Map<String, NDArray> tensors) {
        this.tensors = tensors;
    }

    /**
     * Drops every tensor's gradient: each becomes a new leaf on the same storage, with no gradient
     * yet, and the old handle (and with it the old gradient) is closed. Autograd then stores the next
     * backward pass's gradient as computed, where zeroed gradients would cost a pass writing zeros
     * and a pass adding the new gradient into them. A tensor that did not require gradients still
     * does not.
     *
     * <p>The first call first copies each tensor into memory that libtorch owns: DJL backs an array
     * it created from Java data with that Java buffer, which lives only as long as the array's
     * handle, and a leaf that shares the storage must not outlive it.
     */
    public void releaseGradients() {
        if (!storageOwned) {
            replace(held -> {
                try (NDArray detached = held.stopGradient()) {
                    return detached.duplicate();
                }
            });
            storageOwned = true;
        }
        replace(NDArray::stopGradient);
    }

    /**
     * Sets every tensor's gradient to zero in place: for tensors that cannot be replaced, such as a
     * TorchScript module's parameters.
     */
    public static void zeroGradients(Collection<NDArray> tensors, NDManager scratchParent) {
        try (NDManager scratch = scratchParent.newSubManager()) {
            for (NDArray tensor : tensors) {
                NDArray gradient = tensor.getGradient();
                gradient.attach(scratch);
                gradient.subi(gradient);
            }
        }
    }

    private void replace(UnaryOperator<NDArray> leafOf) {
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray held = entry.getValue();
            NDArray leaf = leafOf.apply(held);
            leaf.setName(held.getName());
            if (held.hasGradient()) {
                leaf.setRequiresGradient(true);
            }
            entry.setValue(leaf);
            held.close();
        }
    }
}
