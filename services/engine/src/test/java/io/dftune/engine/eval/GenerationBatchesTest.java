package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.data.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationBatchesTest {
    private static final int MAX_NEW = 40;

    /** An example whose prompt is {@code promptLength} tokens, followed by a 3-token response. */
    private static TrainingExample example(int promptLength) {
        int[] ids = new int[promptLength + 3];
        int[] mask = new int[promptLength + 3];
        for (int i = promptLength; i < mask.length; i++) {
            mask[i] = 1;
        }
        return new TrainingExample(ids, mask, null, "1");
    }

    @Test
    void aSmallEvalSetDecodesInOneBatch() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            examples.add(example(40 + i / 10));
        }
        assertThat(Evaluator.generationBatches(examples, e -> Evaluator.promptIds(e).length, MAX_NEW, 1))
                .singleElement()
                .isEqualTo(examples);
    }

    @Test
    void batchesKeepTheOrderAndEachFitsTheBudget() {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            examples.add(example(50 + i * 4));
        }
        examples.add(example(Evaluator.GENERATION_TOKEN_BUDGET));

        List<List<TrainingExample>> batches =
                Evaluator.generationBatches(examples, e -> Evaluator.promptIds(e).length, MAX_NEW, 1);

        assertThat(batches).hasSizeGreaterThan(2);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(examples);
        for (List<TrainingExample> batch : batches.subList(0, batches.size() - 1)) {
            int longest = Evaluator.promptIds(batch.get(batch.size() - 1)).length;
            assertThat((long) batch.size() * (longest + MAX_NEW))
                    .isLessThanOrEqualTo(Evaluator.GENERATION_TOKEN_BUDGET);
            TrainingExample next = examples.get(examples.indexOf(batch.get(batch.size() - 1)) + 1);
            assertThat((long) (batch.size() + 1) * (Evaluator.promptIds(next).length + MAX_NEW))
                    .as("a batch closes only when the next prompt would not fit")
                    .isGreaterThan(Evaluator.GENERATION_TOKEN_BUDGET);
        }
        assertThat(batches.get(batches.size() - 1))
                .as("a prompt over the budget alone")
                .containsExactly(examples.get(examples.size() - 1));
    }
}
