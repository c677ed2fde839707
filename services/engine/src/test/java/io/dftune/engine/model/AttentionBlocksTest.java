package io.dftune.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.Batch;
import io.dftune.engine.data.TrainingExample;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attention in query blocks (each attending only to the keys up to its last query) computes what
 * attention over the whole sequence computes: logits and gradients, for padded rows, packed rows and
 * a sliding window. The whole-sequence pass is the one checked against the Python reference.
 */
class AttentionBlocksTest {
    private static final int VOCAB = 61;

    @Test
    void paddedRowsGiveTheSameLogitsAndGradients() {
        assertBlocksChangeNothing(ModelConfig.llama(VOCAB, 32, 48, 3, 4, 2), Batch.of(examples(new Random(4)), 0));
    }

    @Test
    void packedRowsGiveTheSameLogitsAndGradients() {
        List<TrainingExample> examples = examples(new Random(5));
        Batch packed = Batch.packed(List.of(examples.subList(0, 2), examples.subList(2, 4)), 0);
        assertThat(packed.isPacked()).isTrue();
        assertBlocksChangeNothing(ModelConfig.qwen2(VOCAB, 32, 48, 2, 4, 2), packed);
    }

    @Test
    void aSlidingWindowGivesTheSameLogitsAndGradients() {
        ModelConfig windowed = ModelConfig.builder(Architecture.MISTRAL)
                .sizes(VOCAB, 32, 48, 2, 4, 2)
                .slidingWindow(9)
                .build();
        assertBlocksChangeNothing(windowed, Batch.of(examples(new Random(6)), 0));
    }

    /** Blocks of 7 queries: rows of 23 to 40 tokens cross several blocks and end in partial ones. */
    private static void assertBlocksChangeNothing(ModelConfig config, Batch batch) {
        try (NDManager root = NDManager.newBaseManager();
                CausalLm model = ModelInitializer.initialize(config, root, 3, 0.3)) {
            float[] wholeLogits = logits(model, batch);
            Map<String, float[]> whole = TrainingGradients.of(model, batch, false);
            model.attentionQueryBlock(7);
            float[] blockedLogits = logits(model, batch);
            Map<String, float[]> blocked = TrainingGradients.of(model, batch, false);
            double worst = 0;
            for (int i = 0; i < wholeLogits.length; i++) {
                worst = Math.max(worst, Math.abs(wholeLogits[i] - blockedLogits[i]));
            }
            assertThat(worst).as("largest logit difference").isLessThan(1e-5);
            TrainingGradients.assertSame(whole, blocked, 1e-5);
        }
    }

    private static float[] logits(CausalLm model, Batch batch) {
        model.setTrainable(false);
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(batch.inputIds());
            NDArray hidden = model.hiddenStates(ids, batch.isPacked() ? batch.segments() : null);
            hidden.attach(scope);
            return hidden.matMul(model.lmHeadWeight().transpose()).toFloatArray();
        }
    }

    private static List<TrainingExample> examples(Random random) {
        int[] lengths = {23, 40, 17, 31};
        return java.util.Arrays.stream(lengths)
                .mapToObj(length -> {
                    int[] ids = new int[length];
                    int[] mask = new int[length];
                    for (int t = 0; t < length; t++) {
                        ids[t] = 3 + random.nextInt(VOCAB - 3);
                        mask[t] = t >= length / 3 ? 1 : 0;
                    }
                    return new TrainingExample(ids, mask, null, null);
                })
                .toList();
    }
}
