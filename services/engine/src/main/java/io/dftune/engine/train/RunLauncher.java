package io.dftune.engine.train;

import io.dftune.engine.objective.Objectives;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.spec.FineTuneJobSpec;

/**
 * The one way to start a FineTuneJob run, for the command line, the trainer service,
 * {@code compare}, {@code make-example} and the benchmarks alike. It builds the objective and the
 * loss; the {@link LaunchedRun} it returns starts the engine, opens what the run reads (with the
 * frozen reference model only for objectives that need one) and trains, and can be stopped at any
 * time, while loading included.
 */
public final class RunLauncher {
    private final int lossChunkTokens;

    public RunLauncher() {
        this(ResponseLoss.DEFAULT_CHUNK_TOKENS);
    }

    /** @param lossChunkTokens response tokens per loss chunk (memory against speed; results do not change) */
    public RunLauncher(int lossChunkTokens) {
        if (lossChunkTokens < 1) {
            throw new IllegalArgumentException("the loss chunk must hold at least one token, got " + lossChunkTokens);
        }
        this.lossChunkTokens = lossChunkTokens;
    }

    /**
     * A run of a loaded and validated job; nothing is read before {@link LaunchedRun#run}.
     *
     * @throws IllegalArgumentException the job's objective cannot be built
     */
    public LaunchedRun prepare(FineTuneJobSpec spec) {
        return new LaunchedRun(
                spec, Objectives.create(spec.getObjective(), spec.getTraining()), new ResponseLoss(lossChunkTokens));
    }
}
