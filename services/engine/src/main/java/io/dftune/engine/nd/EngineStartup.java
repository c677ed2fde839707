package io.dftune.engine.nd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Starts the PyTorch engine on a background thread as soon as the command line starts, so that
 * loading libtorch (about half a second) overlaps parsing and validating the job and starting
 * Quarkus. Everything that needs the engine gets its manager from {@link #newBaseManager}, which
 * waits for the start to finish: DJL's engine start is not safe to run twice at once, so nothing
 * may touch the engine before it has.
 */
public final class EngineStartup {
    private static final CompletableFuture<Void> STARTED = new CompletableFuture<>();
    private static boolean begun;

    private EngineStartup() {}

    /** Starts the engine (and caps its threads, {@link CpuThreads}) in the background; later calls do nothing. */
    public static synchronized void begin() {
        if (begun) {
            return;
        }
        begun = true;
        Thread starter = new Thread(
                () -> {
                    try {
                        Engine.getEngine("PyTorch");
                        CpuThreads.configure();
                        STARTED.complete(null);
                    } catch (RuntimeException | Error e) {
                        STARTED.completeExceptionally(e);
                    }
                },
                "dftune-engine-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * A new root manager of the PyTorch engine, once the engine has started (starting it now if
     * {@link #begin} was not called, as in tests). The calling thread computes without autograd
     * until a gradient collector opens, as the thread that starts DJL's engine does.
     */
    public static NDManager newBaseManager() {
        begin();
        try {
            STARTED.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        JniUtils.setGradMode(false);
        return NDManager.newBaseManager();
    }
}
