package io.dftune.bench;

import ai.djl.ndarray.NDManager;
import io.dftune.engine.data.Batch;
import io.dftune.engine.model.Architecture;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.model.ModelInitializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's models (Llama layout, tied embeddings, grouped-query attention, vocabulary 8192)
 * and synthetic batches in which every token after the first is a response token.
 */
final class BenchModels {
    static final int VOCAB = 8192;
    static final long SEED = 1234;

    private BenchModels() {}

    /** The size ladder, ~1M to ~25M parameters; "25M" is the headline model. */
    static Map<String, ModelConfig> ladder() {
        Map<String, ModelConfig> ladder = new LinkedHashMap<>();
        ladder.put("1M", llama(96, 256, 2, 4, 2));
        ladder.put("3M", llama(192, 512, 4, 4, 2));
        ladder.put("10M", llama(384, 1024, 4, 6, 3));
        ladder.put("25M", llama(512, 1408, 7, 8, 4));
        return ladder;
    }

    static ModelConfig headline() {
        return ladder().get("25M");
    }

    /** A small model for smoke runs of the harness. */
    static ModelConfig tiny() {
        return llama(64, 128, 2, 4, 2);
    }

    static ModelConfig llama(int hidden, int intermediate, int layers, int heads, int kvHeads) {
        return ModelConfig.builder(Architecture.LLAMA)
                .sizes(VOCAB, hidden, intermediate, layers, heads, kvHeads)
                .tieWordEmbeddings(true)
                .maxPositionEmbeddings(1024)
                .build();
    }

    static CausalLm initialize(ModelConfig config, NDManager manager) {
        CausalLm model = ModelInitializer.initialize(config, manager, SEED, 0.02);
        model.setTrainable(true);
        return model;
    }

    /** {@code rows} random sequences of {@code length} tokens, all but the first of each trained. */
    static Batch syntheticBatch(int rows, int length, int vocab, long seed) {
        Random random = new Random(seed);
        int[][] ids = new int[rows][length];
        int[][] mask = new int[rows][length];
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                ids[r][t] = random.nextInt(vocab);
                mask[r][t] = t == 0 ? 0 : 1;
            }
            lengths[r] = length;
        }
        return new Batch(ids, mask, lengths);
    }

    /** Flattened [B*T] positions and token ids of a batch's targets, as the engine selects them. */
    static long[][] targets(Batch batch) {
        List<long[]> pairs = new ArrayList<>();
        int width = batch.width();
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 1; t < width; t++) {
                if (batch.completionMask()[r][t] == 1) {
                    pairs.add(new long[] {(long) r * width + t - 1, batch.inputIds()[r][t]});
                }
            }
        }
        long[] positions = pairs.stream().mapToLong(p -> p[0]).toArray();
        long[] tokens = pairs.stream().mapToLong(p -> p[1]).toArray();
        return new long[][] {positions, tokens};
    }

    static long inputTokens(Batch batch) {
        return Arrays.stream(batch.lengths()).sum();
    }
}
