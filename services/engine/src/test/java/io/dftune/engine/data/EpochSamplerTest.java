package io.dftune.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {

    private static List<Integer> stream(EpochSampler s, long fromStep, int perStep) {
        List<Integer> out = new ArrayList<>();
        for (long step = fromStep; step < s.totalSteps(perStep); step++) {
            Arrays.stream(s.stepIndices(step, perStep)).forEach(out::add);
        }
        return out;
    }

    @Test
    void withoutShuffleStepsFollowFileOrderAcrossEpochs() {
        EpochSampler s = new EpochSampler(5, 2, 1, false);
        assertThat(s.totalSteps(3)).isEqualTo(4);
        assertThat(s.stepIndices(0, 3)).containsExactly(0, 1, 2);
        assertThat(s.stepIndices(1, 3)).containsExactly(3, 4, 0);
        assertThat(s.stepIndices(3, 3)).as("the last step is shorter").containsExactly(4);
        assertThatThrownBy(() -> s.stepIndices(4, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shuffledEpochsArePermutationsThatDependOnSeedAndEpoch() {
        EpochSampler s = new EpochSampler(50, 3, 42, true);
        int[] e0 = s.order(0);
        int[] e1 = s.order(1);
        assertThat(Arrays.stream(e0).sorted().toArray())
                .containsExactly(IntStream.range(0, 50).toArray());
        assertThat(Arrays.stream(e1).sorted().toArray())
                .containsExactly(IntStream.range(0, 50).toArray());
        assertThat(e0).isNotEqualTo(IntStream.range(0, 50).toArray());
        assertThat(e1).isNotEqualTo(e0);
        assertThat(new EpochSampler(50, 3, 42, true).order(1)).isEqualTo(e1);
        assertThat(new EpochSampler(50, 3, 43, true).order(0)).isNotEqualTo(e0);
    }

    @Test
    void orderIsPinnedSoItCannotDriftBetweenVersionsOrJvms() {
        // Recorded from this implementation; a change here changes every shuffled run's data order.
        assertThat(new EpochSampler(10, 2, 42, true).order(0)).containsExactly(GOLDEN_SEED42_EPOCH0);
        assertThat(new EpochSampler(10, 2, 42, true).order(1)).containsExactly(GOLDEN_SEED42_EPOCH1);
    }

    private static final int[] GOLDEN_SEED42_EPOCH0 = {6, 0, 3, 2, 5, 4, 8, 9, 1, 7};
    private static final int[] GOLDEN_SEED42_EPOCH1 = {4, 5, 0, 9, 1, 7, 6, 2, 8, 3};

    @Test
    void resumedRunSeesTheSameExamplesAsAnUninterruptedOne() {
        int perStep = 4;
        EpochSampler full = new EpochSampler(10, 3, 7, true);
        List<Integer> uninterrupted = stream(full, 0, perStep);
        assertThat(uninterrupted).hasSize(30);
        for (long k = 0; k <= full.totalSteps(perStep); k++) {
            EpochSampler resumed = new EpochSampler(10, 3, 7, true);
            List<Integer> tail = stream(resumed, k, perStep);
            assertThat(tail).isEqualTo(uninterrupted.subList((int) Math.min(k * perStep, 30), 30));
        }
    }

    @Test
    void positionAfterLocatesTheNextExample() {
        EpochSampler s = new EpochSampler(10, 3, 7, true);
        assertThat(s.positionAfter(0, 4)).isEqualTo(new EpochSampler.Position(0, 0));
        assertThat(s.positionAfter(3, 4)).isEqualTo(new EpochSampler.Position(1, 2));
        EpochSampler.Position p = s.positionAfter(5, 4);
        assertThat(p).isEqualTo(new EpochSampler.Position(2, 0));
        assertThat(s.stepIndices(5, 4)[0]).isEqualTo(s.order(p.epoch())[p.index()]);
        assertThat(s.positionAfter(100, 4)).as("exhausted").isEqualTo(new EpochSampler.Position(3, 0));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new EpochSampler(0, 1, 0, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EpochSampler(3, 0, 0, true)).isInstanceOf(IllegalArgumentException.class);
        EpochSampler s = new EpochSampler(3, 1, 0, true);
        assertThatThrownBy(() -> s.totalSteps(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.order(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
