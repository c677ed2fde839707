package io.dftune.engine.plan;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** How much memory a run may use: the GPU's, or on CPU the container's limit or else the machine's. */
public record AvailableMemory(long bytes, String source) {
    private static final Path CGROUP_V2 = Path.of("/sys/fs/cgroup/memory.max");
    private static final Path CGROUP_V1 = Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    public static AvailableMemory of(Device device) {
        if (device.isGpu()) {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            return new AvailableMemory(usage.getMax(), "GPU " + device.getDeviceId() + " memory");
        }
        long machine = machineMemory(read(MEMINFO).orElse(""))
                .orElse(Runtime.getRuntime().maxMemory());
        OptionalLong limit = containerLimit(read(CGROUP_V2), read(CGROUP_V1));
        if (limit.isPresent() && limit.getAsLong() < machine) {
            return new AvailableMemory(limit.getAsLong(), "the container's memory limit");
        }
        return new AvailableMemory(machine, "the machine's memory");
    }

    /** cgroup v2's memory.max ("max" or bytes), else v1's limit (a huge number when unlimited). */
    static OptionalLong containerLimit(Optional<String> v2, Optional<String> v1) {
        for (Optional<String> text : java.util.List.of(v2, v1)) {
            if (text.isPresent()) {
                String value = text.get().strip();
                if (value.matches("\\d+") && value.length() < 19) {
                    return OptionalLong.of(Long.parseLong(value));
                }
            }
        }
        return OptionalLong.empty();
    }

    /** MemTotal of /proc/meminfo, in bytes. */
    static OptionalLong machineMemory(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String kib =
                        line.substring("MemTotal:".length()).replace("kB", "").strip();
                return OptionalLong.of(Long.parseLong(kib) * 1024);
            }
        }
        return OptionalLong.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
