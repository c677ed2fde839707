package io.dftune.engine.nd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Bfloat16MatmulProbeTest {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    @BeforeAll
    static void engine() {
        EngineStartup.newBaseManager().close();
    }

    @Test
    void measuresBothTypesOncePerDevice() {
        Bfloat16MatmulProbe.Timing timing = Bfloat16MatmulProbe.measure(Device.cpu());

        assertThat(timing.float32Seconds()).isPositive().isLessThan(1.0);
        assertThat(timing.bfloat16Seconds()).isPositive().isLessThan(10.0);
        assertThat(Bfloat16MatmulProbe.measure(Device.cpu())).isSameAs(timing);
    }

    /**
     * The choice follows what the CPU can do: with bfloat16 dot-product instructions bfloat16 wins by
     * far, without AVX-512 at all it is emulated and loses. (CPUs with AVX-512 but no bfloat16
     * instructions can go either way; only the timing is checked there.)
     */
    @Test
    void choosesBfloat16ExactlyWhereTheCpuHasBfloat16Instructions() throws IOException {
        Set<String> flags = cpuFlags();
        boolean bf16Instructions = flags.contains("avx512_bf16") || flags.contains("amx_bf16");
        boolean noAvx512 = !flags.contains("avx512f");
        Bfloat16MatmulProbe.Timing timing = Bfloat16MatmulProbe.measure(Device.cpu());

        if (bf16Instructions) {
            assertThat(timing.bfloat16Faster()).as(timing.describe()).isTrue();
        }
        if (noAvx512) {
            assertThat(timing.bfloat16Faster()).as(timing.describe()).isFalse();
        }
    }

    private static Set<String> cpuFlags() throws IOException {
        try (Stream<String> lines = Files.lines(CPU_INFO)) {
            return lines.filter(line -> line.startsWith("flags"))
                    .findFirst()
                    .map(line ->
                            Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElseThrow(() -> new IllegalStateException(CPU_INFO + " lists no flags"));
        }
    }
}
