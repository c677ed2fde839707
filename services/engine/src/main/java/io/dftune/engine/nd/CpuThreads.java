package io.dftune.engine.nd;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import java.util.Optional;

/**
 * How many threads libtorch computes with. Left alone, libtorch starts one per core of the
 * machine, which in a container limited to a few CPUs means many threads fighting over little CPU
 * time (a 2-CPU pod on a 64-core node runs far slower than with 2 threads). The JVM knows the
 * container's CPU limit, so unless the user chose a count, libtorch gets no more threads than that.
 */
final class CpuThreads {
    static final String PROPERTY = "ai.djl.pytorch.num_threads";
    static final String OPENMP_VARIABLE = "OMP_NUM_THREADS";

    private CpuThreads() {}

    /** Caps the started PyTorch engine's threads at the processors this JVM may use. */
    static void configure() {
        if (userChose(System.getProperty(PROPERTY), System.getenv())) {
            return;
        }
        cap(JniUtils.getNumThreads(), Runtime.getRuntime().availableProcessors())
                .ifPresent(JniUtils::setNumThreads);
    }

    static boolean userChose(String property, Map<String, String> environment) {
        return property != null || environment.containsKey(OPENMP_VARIABLE);
    }

    /** The thread count to set instead of libtorch's own, if that is more than the processors available. */
    static Optional<Integer> cap(int libtorchThreads, int availableProcessors) {
        return availableProcessors < libtorchThreads ? Optional.of(availableProcessors) : Optional.empty();
    }
}
