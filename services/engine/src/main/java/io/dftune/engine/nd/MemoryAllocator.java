package io.dftune.engine.nd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which malloc this process (and so libtorch) allocates with: TCMalloc or jemalloc when one is
 * loaded (the launchers preload TCMalloc when it is installed), else the C library's.
 */
public final class MemoryAllocator {
    private static final List<String> KNOWN = List.of("tcmalloc", "jemalloc");
    private static final Path MAPS = Path.of("/proc/self/maps");

    private MemoryAllocator() {}

    /** "tcmalloc", "jemalloc" or "system" (also where the process's mappings cannot be read). */
    public static String inUse() {
        try (Stream<String> lines = Files.lines(MAPS)) {
            return fromMappings(lines);
        } catch (IOException | RuntimeException e) {
            return "system";
        }
    }

    /** The allocator named by the libraries in {@code /proc/<pid>/maps} lines. */
    static String fromMappings(Stream<String> lines) {
        return lines.map(line -> line.substring(line.lastIndexOf('/') + 1))
                .flatMap(file -> KNOWN.stream().filter(name -> file.startsWith("lib" + name)))
                .findFirst()
                .orElse("system");
    }
}
