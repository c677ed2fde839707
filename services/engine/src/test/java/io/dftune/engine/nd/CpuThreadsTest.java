package io.dftune.engine.nd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {
    @Test
    void libtorchGetsNoMoreThreadsThanTheContainerHasCpus() {
        assertThat(CpuThreads.cap(32, 2)).contains(2);
        assertThat(CpuThreads.cap(8, 16))
                .as("hyper-threads: libtorch's per-core count stays")
                .isEmpty();
        assertThat(CpuThreads.cap(4, 4)).isEmpty();
    }

    @Test
    void aChoiceByPropertyOrOpenMpIsTheUsers() {
        assertThat(CpuThreads.userChose("4", Map.of())).isTrue();
        assertThat(CpuThreads.userChose(null, Map.of(CpuThreads.OPENMP_VARIABLE, "8")))
                .isTrue();
        assertThat(CpuThreads.userChose(null, Map.of("OTHER", "1"))).isFalse();
    }
}
