package io.dftune.engine.train;

import java.util.SplittableRandom;

/**
 * Which training examples make up optimizer step s: the epochs' example orders laid end to end,
 * cut into consecutive blocks of {@code batchSize}. Each epoch's order is a seeded permutation
 * (or file order without shuffling), a pure function of (seed, epoch), so any step can be
 * reproduced after a restart without replaying the ones before it.
 */
public final class StepSampler {
    private final int exampleCount;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public StepSampler(int exampleCount, int batchSize, long seed, boolean shuffle) {
        if (exampleCount < 1) {
            throw new IllegalArgumentException("no training examples");
        }
        this.exampleCount = exampleCount;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    public int[] indicesForStep(long step) {
        int[] indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            long global = step * batchSize + i;
            int epoch = (int) (global / exampleCount);
            indices[i] = order(epoch)[(int) (global % exampleCount)];
        }
        return indices;
    }

    int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = new int[exampleCount];
            for (int i = 0; i < exampleCount; i++) {
                cachedOrder[i] = i;
            }
            if (shuffle) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
                for (int i = exampleCount - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = cachedOrder[i];
                    cachedOrder[i] = cachedOrder[j];
                    cachedOrder[j] = swap;
                }
            }
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }
}
