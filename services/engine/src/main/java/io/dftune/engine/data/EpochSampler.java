package io.dftune.engine.data;

/**
 * The order in which a run visits its examples: epoch after epoch over {@code datasetSize} examples, each
 * epoch either in file order or in a permutation derived only from (seed, epoch). Steps take
 * {@code examplesPerStep} consecutive examples of that stream and may span an epoch boundary; the final
 * step is shorter when the total is not a multiple. Everything is a pure function of the constructor
 * arguments, so a run resumed after k steps continues with exactly the examples an uninterrupted run sees.
 *
 * <p>The generator is SplitMix64 written out here (not java.util.Random or Collections.shuffle) so orders
 * stay the same across JVM versions. Not thread-safe (it caches the current epoch's order).
 */
public final class EpochSampler {

    /** A point in the stream: the next example is slot {@code index} of epoch {@code epoch}. */
    public record Position(int epoch, int index) {}

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int datasetSize;
    private final int epochs;
    private final long seed;
    private final boolean shuffle;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public EpochSampler(int datasetSize, int epochs, long seed, boolean shuffle) {
        if (datasetSize < 1 || epochs < 1) {
            throw new IllegalArgumentException(
                    "datasetSize and epochs must be >= 1, got " + datasetSize + ", " + epochs);
        }
        this.datasetSize = datasetSize;
        this.epochs = epochs;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    public long totalExamples() {
        return (long) datasetSize * epochs;
    }

    public long totalSteps(int examplesPerStep) {
        checkPerStep(examplesPerStep);
        return (totalExamples() + examplesPerStep - 1) / examplesPerStep;
    }

    /** The example order of one epoch (a permutation of 0..datasetSize-1). */
    public int[] order(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IndexOutOfBoundsException("epoch " + epoch + " outside 0.." + (epochs - 1));
        }
        return cachedOrderFor(epoch).clone();
    }

    /** The example indices of optimizer step {@code step} (0-based). */
    public int[] stepIndices(long step, int examplesPerStep) {
        if (step < 0 || step >= totalSteps(examplesPerStep)) {
            throw new IndexOutOfBoundsException("step " + step + " outside 0.." + (totalSteps(examplesPerStep) - 1));
        }
        long start = step * examplesPerStep;
        int n = (int) Math.min(examplesPerStep, totalExamples() - start);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long pos = start + i;
            out[i] = cachedOrderFor((int) (pos / datasetSize))[(int) (pos % datasetSize)];
        }
        return out;
    }

    /** Where the stream stands after {@code stepsDone} steps; {@code (epochs, 0)} once it is exhausted. */
    public Position positionAfter(long stepsDone, int examplesPerStep) {
        checkPerStep(examplesPerStep);
        if (stepsDone < 0) {
            throw new IllegalArgumentException("stepsDone must be >= 0, got " + stepsDone);
        }
        long pos = Math.min(Math.multiplyExact(stepsDone, (long) examplesPerStep), totalExamples());
        return new Position((int) (pos / datasetSize), (int) (pos % datasetSize));
    }

    private static void checkPerStep(int examplesPerStep) {
        if (examplesPerStep < 1) {
            throw new IllegalArgumentException("examplesPerStep must be >= 1, got " + examplesPerStep);
        }
    }

    private int[] cachedOrderFor(int epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = computeOrder(epoch);
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    private int[] computeOrder(int epoch) {
        int[] order = new int[datasetSize];
        for (int i = 0; i < datasetSize; i++) {
            order[i] = i;
        }
        if (!shuffle) {
            return order;
        }
        SplitMix64 rng = new SplitMix64(seed + GOLDEN * (epoch + 1L));
        for (int i = datasetSize - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += GOLDEN);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, bound) by rejection, so no index is favoured. */
        int nextInt(int bound) {
            long limit = (1L << 32) - ((1L << 32) % bound);
            long r;
            do {
                r = nextLong() >>> 32;
            } while (r >= limit);
            return (int) (r % bound);
        }
    }
}
