package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * bfloat16 arrays, and arrays filled piece by piece, through a small TorchScript module
 * ({@code casts.pt}, written by {@code src/main/python/make_casts.py}). DJL 0.36 cannot create a
 * bfloat16 array (the JVM aborts) and its own type conversion is not differentiable; this module's
 * casts are both possible and differentiable. DJL reports a bfloat16 array's type as unknown, but
 * its operations and autograd work on it.
 */
public final class TorchCasts {
    private static final String RESOURCE = "/io/dftune/engine/nd/casts.pt";
    private static final int TO_BFLOAT16 = 0;
    private static final int TO_FLOAT32 = 1;
    private static final int EMPTY = 2;
    private static final int FILL = 3;
    private static TorchCasts instance;

    private final ScriptedModule module;

    private TorchCasts(ScriptedModule module) {
        this.module = module;
    }

    /** The module, loaded once per JVM. */
    public static synchronized TorchCasts get() {
        if (instance == null) {
            instance = new TorchCasts(ScriptedModule.load(RESOURCE));
        }
        return instance;
    }

    /** {@code x} as bfloat16, in {@code into}; differentiable (the gradient comes back in x's type). */
    public NDArray toBfloat16(NDArray x, NDManager into) {
        return call(into, TO_BFLOAT16, x, null, null);
    }

    /** {@code x} as float32, in {@code into}; differentiable. */
    public NDArray toFloat32(NDArray x, NDManager into) {
        return call(into, TO_FLOAT32, x, null, null);
    }

    /** An uninitialised bfloat16 (or float32) array in {@code target}; no memory is touched until written. */
    public NDArray empty(NDManager target, Shape shape, boolean bfloat16) {
        try (NDManager scratch = target.newSubManager()) {
            NDArray dims = scratch.create(shape.getShape());
            NDArray array = call(scratch, EMPTY, dims, scratch.create(bfloat16), scratch.zeros(new Shape()));
            array.attach(target);
            return array;
        }
    }

    /**
     * Copies {@code values} (any shape, float32 or bfloat16) into {@code target}'s elements from
     * flat index {@code start} on, converting to target's type.
     */
    public void fill(NDArray target, long start, NDArray values) {
        try (NDManager scratch = values.getManager().newSubManager()) {
            call(scratch, FILL, target, scratch.create(start), values);
        }
    }

    /** Whether {@code array} is bfloat16 (DJL names no bfloat16 type and reports it as unknown). */
    public static boolean isBfloat16(NDArray array) {
        return array.getDataType() == DataType.UNKNOWN;
    }

    private NDArray call(NDManager into, int op, NDArray a, NDArray b, NDArray c) {
        try (NDManager constants = into.newSubManager()) {
            NDArray none = constants.zeros(new Shape());
            return module.call(into, constants.create(op), a, b == null ? none : b, c == null ? none : c);
        }
    }
}
