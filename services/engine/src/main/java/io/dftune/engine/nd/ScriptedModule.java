package io.dftune.engine.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A TorchScript module shipped in the engine jar (each written by a script under
 * {@code src/main/python}), called through its {@code forward}: DJL runs forward outside inference
 * mode, so what it returns can take part in autograd and be updated in place.
 */
public final class ScriptedModule {
    private final PtSymbolBlock module;

    private ScriptedModule(PtSymbolBlock module) {
        this.module = module;
    }

    /** Loads the module from a classpath resource into a manager of its own, which lives as long as the JVM. */
    public static ScriptedModule load(String resource) {
        NDManager manager = NDManager.newBaseManager();
        try (InputStream in = ScriptedModule.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the engine jar");
            }
            return new ScriptedModule(JniUtils.loadModule((PtNDManager) manager, in, false, false));
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load " + resource + ": " + e.getMessage(), e);
        }
    }

    /** forward(inputs...), its (single) result attached to {@code into}. */
    public NDArray call(NDManager into, NDArray... inputs) {
        try (NDManager scratch = into.newSubManager()) {
            NDList in = new NDList(inputs.length);
            for (NDArray input : inputs) {
                in.add(unnamed(input, scratch));
            }
            NDArray out = IValueUtils.forward(module, in, true).head();
            out.attach(into);
            return out;
        }
    }

    /**
     * {@code array} itself, or a view without its name: DJL turns named inputs into a TorchScript
     * dictionary (parameter names have dots), which the modules do not take.
     */
    private static NDArray unnamed(NDArray array, NDManager scratch) {
        if (array.getName() == null) {
            return array;
        }
        NDArray view = array.reshape(array.getShape());
        view.attach(scratch);
        return view;
    }
}
