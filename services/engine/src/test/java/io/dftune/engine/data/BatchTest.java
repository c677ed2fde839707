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
        assertThat(StepBatcher.responseTokenCount(micro)).isEqualTo(2 + 2 + 1);
        assertThatThrownBy(() -> new Batcher(List.of(A), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packedRowsHoldTheirExamplesBackToBackAndRecordTheirLengths() {
        Batch b = Batch.packed(List.of(List.of(A, B), List.of(C)), 99);
        assertThat(b.isPacked()).isTrue();
        assertThat(b.inputIds()).isDeepEqualTo(new int[][] {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 99, 99, 99}});
        assertThat(b.completionMask()).isDeepEqualTo(new int[][] {{0, 0, 1, 1, 0, 1}, {0, 1, 1, 0, 0, 0}});
        assertThat(b.segments()).isDeepEqualTo(new int[][] {{4, 2}, {3}});
        assertThat(b.lengths()).containsExactly(6, 3);
        assertThat(b.tokenCount()).isEqualTo(9);
        assertThat(Batch.of(List.of(A, B), 0).isPacked()).isFalse();
    }

    @Test
    void packingPlacesEachExampleOnceLongestFirstIntoTheFirstRowWithRoom() {
        List<TrainingExample> examples = new java.util.ArrayList<>();
        for (int length : new int[] {5, 3, 8, 2, 6, 4, 7}) {
            int[] ids = new int[length];
            java.util.Arrays.fill(ids, length);
            examples.add(new TrainingExample(ids, new int[length], null, null));
        }
        PackingBatcher packer = new PackingBatcher(examples, 0, 10, 2);
        List<Batch> micro = packer.microBatches(new int[] {0, 1, 2, 3, 4, 5, 6});
        // 8 -> row 0, 7 -> row 1, 6 -> row 2, 5 -> row 3, 4 -> row 2, 3 -> row 1, 2 -> row 0
        assertThat(micro).hasSize(2);
        assertThat(micro.get(0).segments()).isDeepEqualTo(new int[][] {{8, 2}, {7, 3}});
        assertThat(micro.get(1).segments()).isDeepEqualTo(new int[][] {{6, 4}, {5}});
        assertThat(micro.get(1).inputIds()[0]).containsExactly(6, 6, 6, 6, 6, 6, 4, 4, 4, 4);
        long tokens = micro.stream().mapToLong(Batch::tokenCount).sum();
        assertThat(tokens).isEqualTo(35);
        // A step names examples by index, repeats included (a step may span an epoch boundary).
        assertThat(packer.microBatches(new int[] {2, 2}).get(0).segments()).isDeepEqualTo(new int[][] {{8}, {8}});
        assertThatThrownBy(() -> new PackingBatcher(examples, 0, 7, 1).microBatches(new int[] {2}))
                .hasMessage("an example of 8 tokens does not fit a row of 7");
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
