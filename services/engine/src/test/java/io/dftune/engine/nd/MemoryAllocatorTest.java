package io.dftune.engine.nd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MemoryAllocatorTest {
    private static final String LIBC =
            "7f2a1c000000-7f2a1c028000 r--p 00000000 fe:01 1315 /usr/lib/x86_64-linux-gnu/libc.so.6";

    @Test
    void namesThePreloadedAllocatorFromTheMappedLibraries() {
        assertThat(
                        MemoryAllocator.fromMappings(
                                Stream.of(
                                        LIBC,
                                        "7f2a1d000000-7f2a1d020000 r-xp 00000000 fe:01 2211 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10")))
                .isEqualTo("tcmalloc");
        assertThat(MemoryAllocator.fromMappings(
                        Stream.of("7f00-7f10 r-xp 00000000 fe:01 9 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2", LIBC)))
                .isEqualTo("jemalloc");
    }

    @Test
    void isTheSystemOneWhenNoneIsMappedOrAFolderOnlyMentionsIt() {
        assertThat(MemoryAllocator.fromMappings(Stream.of(LIBC, "7f00-7f10 rw-p 00000000 00:00 0 [heap]")))
                .isEqualTo("system");
        assertThat(MemoryAllocator.fromMappings(
                        Stream.of("7f00-7f10 r-xp 00000000 fe:01 9 /opt/tcmalloc-build/libtorch_cpu.so")))
                .isEqualTo("system");
    }
}
