package io.dftune.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

class StepSamplerTest {

    @Test
    void everyEpochVisitsEveryExampleOnce() {
        StepSampler sampler = new StepSampler(10, 5, 42, true);
        Set<Integer> seen = new HashSet<>();
        for (int i : sampler.indicesForStep(0)) {
            seen.add(i);
        }
        for (int i : sampler.indicesForStep(1)) {
            seen.add(i);
        }
        assertThat(seen).hasSize(10);
    }

    @Test
    void anyStepIsReproducibleWithoutReplayAndEpochsDiffer() {
        StepSampler a = new StepSampler(7, 3, 42, true);
        StepSampler b = new StepSampler(7, 3, 42, true);
        int[] late = a.indicesForStep(11);
        assertThat(b.indicesForStep(11)).containsExactly(late);
        assertThat(a.order(0)).isNotEqualTo(b.order(1));
        assertThat(new StepSampler(7, 3, 43, true).order(0)).isNotEqualTo(a.order(0));
    }

    @Test
    void withoutShuffleFollowsFileOrderAcrossEpochBoundary() {
        StepSampler sampler = new StepSampler(4, 3, 42, false);
        assertThat(sampler.indicesForStep(0)).containsExactly(0, 1, 2);
        assertThat(sampler.indicesForStep(1)).containsExactly(3, 0, 1);
        assertThat(Arrays.stream(sampler.order(5)).boxed()).containsExactly(0, 1, 2, 3);
    }
}
