package io.dftune.trainer.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.dftune.engine.nd.MemoryAllocator;
import picocli.CommandLine.IVersionProvider;

/** What a run computes on, for the first lines of its output and for {@code dftune --version}. */
final class ComputeSetup implements IVersionProvider {
    private static final String VERSION = "dftune 0.1.0";

    /** E.g. "compute: CPU, 2 libtorch threads, memory allocator tcmalloc"; the engine must be started. */
    static String describe() {
        Device device = Engine.getInstance().defaultDevice();
        return String.format(
                "compute: %s, %d libtorch threads, memory allocator %s",
                device.isGpu() ? "GPU " + device.getDeviceId() : "CPU",
                JniUtils.getNumThreads(),
                MemoryAllocator.inUse());
    }

    /** Without starting the engine: the version, the Java runtime and the memory allocator. */
    @Override
    public String[] getVersion() {
        return new String[] {
            String.format("%s (Java %s, memory allocator %s)", VERSION, Runtime.version(), MemoryAllocator.inUse())
        };
    }
}
