package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
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
    private static TorchCasts instance;

    private final NDManager manager;
    private final PtSymbolBlock module;

    private TorchCasts(NDManager manager, PtSymbolBlock module) {
        this.manager = manager;
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
                instance = new TorchCasts(manager, JniUtils.loadModule((PtNDManager) manager, in, false, false));
            } catch (IOException e) {
                manager.close();
                throw new UncheckedIOException("cannot load " + RESOURCE + ": " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** {@code x} as bfloat16; differentiable (the gradient comes back in x's type). Attaches to x's manager. */
    public NDArray toBfloat16(NDArray x) {
        return cast(x, true);
    }

    /** {@code x} as float32; differentiable. Attaches to x's manager. */
    public NDArray toFloat32(NDArray x) {
        return cast(x, false);
    }

    private NDArray cast(NDArray x, boolean bfloat16) {
        try (NDArray flag = x.getManager().create(bfloat16)) {
            NDList out = IValueUtils.forward(module, new NDList(x, flag), true);
            return out.head();
        }
    }

    /** An uninitialised bfloat16 (or float32) array in {@code target}; no memory is touched until written. */
    public NDArray empty(NDManager target, Shape shape, boolean bfloat16) {
        try (NDArray deviceOf = target.zeros(new Shape());
                IValue size = IValue.listFrom(shape.getShape());
                IValue flag = IValue.from(bfloat16);
                IValue device = IValue.from((PtNDArray) deviceOf);
                IValue out = IValueUtils.runMethod(module, "empty", size, flag, device)) {
            return out.toTensor((PtNDManager) target);
        }
    }

    /**
     * Copies {@code values} (any shape, float32 or bfloat16) into {@code target}'s elements from
     * flat index {@code start} on, converting to target's type.
     */
    public void fill(NDArray target, long start, NDArray values) {
        try (IValue t = IValue.from((PtNDArray) target);
                IValue s = IValue.from(start);
                IValue v = IValue.from((PtNDArray) values);
                IValue out = IValueUtils.runMethod(module, "fill", t, s, v)) {
            // fill returns target itself; its handle is released with the IValue.
        }
    }

    /** Whether {@code array} is bfloat16 (which DJL cannot name). */
    public static boolean isBfloat16(NDArray array) {
        return array.getDataType() == ai.djl.ndarray.types.DataType.UNKNOWN;
    }
}
