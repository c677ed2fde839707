package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants as 0-d arrays owned by a manager that outlives the backward pass.
 *
 * <p>DJL's {@code NDArray.mul(Number)} and friends create a temporary scalar tensor that can be
 * freed before backward runs, which corrupts gradients. Everything that is differentiated uses
 * these instead.
 */
public final class Constants {
    private Constants() {}

    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }
}
