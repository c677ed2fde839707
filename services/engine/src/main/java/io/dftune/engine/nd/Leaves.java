package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Trainable tensors (autograd leaves) held in a map by name. */
public final class Leaves {
    private Leaves() {}

    /**
     * Replaces each tensor by a copy in memory that libtorch owns. DJL backs an array it created from
     * Java data with that Java buffer, which lives only as long as the array's handle: a tensor that
     * shares its storage (what {@link #releaseGradients} makes) must not outlive it. Call once before
     * the first {@link #releaseGradients}.
     */
    public static void ownStorage(Map<String, NDArray> tensors) {
        replace(tensors, held -> {
            try (NDArray detached = held.stopGradient()) {
                return detached.duplicate();
            }
        });
    }

    /**
     * Drops every tensor's gradient: each becomes a new leaf on the same storage, with no gradient
     * yet, and the old handle (and with it the old gradient) is closed. Autograd then stores the next
     * backward pass's gradient as computed, where zeroed gradients would cost a pass writing zeros
     * and a pass adding the new gradient into them. A tensor that did not require gradients still
     * does not. The tensors must own their storage ({@link #ownStorage}).
     */
    public static void releaseGradients(Map<String, NDArray> tensors) {
        replace(tensors, NDArray::stopGradient);
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

    private static void replace(Map<String, NDArray> tensors, UnaryOperator<NDArray> leafOf) {
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
