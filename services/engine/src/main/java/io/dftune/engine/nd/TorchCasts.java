package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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

    private final PtSymbolBlock module;

    private TorchCasts(PtSymbolBlock module) {
        this.module = module;
    }

    /** The module, loaded once per JVM into a manager of its own. */
    public static synchronized TorchCasts get() {
        if (instance == null) {
            NDManager manager = NDManager.newBaseManager();
            try (InputStream in = TorchCasts.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the engine jar");
                }
                instance = new TorchCasts(JniUtils.loadModule((PtNDManager) manager, in, false, false));
            } catch (IOException e) {
                manager.close();
                throw new UncheckedIOException("cannot load " + RESOURCE + ": " + e.getMessage(), e);
            }
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

    /**
     * {@code array} itself, or a view without its name: DJL turns named inputs into a TorchScript
     * dictionary (parameter names have dots), which the module does not take.
     */
    private static NDArray unnamed(NDArray array, NDManager scratch) {
        if (array.getName() == null) {
            return array;
        }
        NDArray view = array.reshape(array.getShape());
        view.attach(scratch);
        return view;
    }

    /** Whether {@code array} is bfloat16 (DJL names no bfloat16 type and reports it as unknown). */
    public static boolean isBfloat16(NDArray array) {
        return array.getDataType() == DataType.UNKNOWN;
    }

    private NDArray call(NDManager into, int op, NDArray a, NDArray b, NDArray c) {
        try (NDManager scratch = into.newSubManager()) {
            NDArray none = scratch.zeros(new Shape());
            NDList in = new NDList(
                    scratch.create(op),
                    unnamed(a, scratch),
                    b == null ? none : unnamed(b, scratch),
                    c == null ? none : unnamed(c, scratch));

            NDArray out = IValueUtils.forward(module, in, true).head();
            out.attach(into);
            return out;
        }
    }
}
