package io.dftune.bench;

import io.dftune.engine.data.Batch;
import io.dftune.engine.model.ModelConfig;

/**
 * The model, batch and repeat counts of an interleaved comparison: the ~25M-parameter model at
 * 8 x 256 tokens, or tiny sizes for a quick run of the harness.
 */
record Workload(ModelConfig config, int rows, int length, int warmupRounds, int rounds) {

    static Workload headline(boolean quick, int rounds) {
        return quick
                ? new Workload(BenchModels.tiny(), 2, 32, 1, 2)
                : new Workload(BenchModels.headline(), 8, 256, 3, rounds);
    }

    Batch batch(long seed) {
        return BenchModels.syntheticBatch(rows, length, config.vocabSize(), seed);
    }

    String describe() {
        return Doc.f("%s parameters, batch %d x %d", TrainingSpeedBench.compact(config.parameterCount()), rows, length);
    }
}
