package io.dftune.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static final TrainingExample A =
            new TrainingExample(new int[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1}, null, null);
    private static final TrainingExample B = new TrainingExample(new int[] {5, 6}, new int[] {0, 1}, null, null);
    private static final TrainingExample C = new TrainingExample(new int[] {7, 8, 9}, new int[] {0, 1, 1}, null, null);

    @Test
    void rightPadsToTheLongestExampleWithMaskZero() {
        Batch b = Batch.of(List.of(B, A), 99);
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.width()).isEqualTo(4);
        assertThat(b.inputIds()).isDeepEqualTo(new int[][] {{5, 6, 99, 99}, {1, 2, 3, 4}});
        assertThat(b.completionMask()).isDeepEqualTo(new int[][] {{0, 1, 0, 0}, {0, 0, 1, 1}});
        assertThat(b.lengths()).containsExactly(2, 4);
        assertThat(b.responseTokenCount()).isEqualTo(3);
    }

    @Test
    void batchingCopiesSoExamplesStayUntouched() {
        Batch b = Batch.of(List.of(A), 0);
        b.inputIds()[0][0] = 42;
        assertThat(A.inputIds()[0]).isEqualTo(1);
    }

    @Test
    void emptyBatchIsRejected() {
        assertThatThrownBy(() -> Batch.of(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batcherSplitsAStepIntoMicroBatchesInOrder() {
        Batcher batcher = new Batcher(List.of(A, B, C), 0, 2);
        List<Batch> micro = batcher.microBatches(new int[] {2, 0, 1});
        assertThat(micro).hasSize(2);
        assertThat(micro.get(0).inputIds()).isDeepEqualTo(new int[][] {{7, 8, 9, 0}, {1, 2, 3, 4}});
        assertThat(micro.get(1).inputIds()).isDeepEqualTo(new int[][] {{5, 6}});
        assertThat(Batcher.responseTokenCount(micro)).isEqualTo(2 + 2 + 1);
        assertThatThrownBy(() -> new Batcher(List.of(A), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exampleInvariants() {
        assertThatThrownBy(() -> new TrainingExample(new int[] {1, 2}, new int[] {0}, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrainingExample(new int[] {1, 2}, new int[] {0, 2}, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrainingExample(new int[] {1, 2}, new int[] {1, 1}, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completionMask[0]");
    }
}
