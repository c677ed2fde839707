package io.dftune.trainer.service;

import io.dftune.engine.generate.GenerationSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Generate's work, bounded so that clients cannot take a training pod's memory or pace: a cap on
 * new tokens, at most {@code dftune.generate.max-waiting} calls waiting or running (more are
 * refused), the current weights sampled one call per gap between training steps
 * ({@link CurrentWeights}), and one checkpoint loaded at a time.
 */
@Singleton
public class Generations {
    private final TrainingSession session;
    private final int maxNewTokens;
    private final int maxWaiting;
    private final Semaphore waiting;
    private final Semaphore checkpointLoads = new Semaphore(1, true);

    @Inject
    public Generations(TrainingSession session, TrainerConfig config) {
        this.session = session;
        this.maxNewTokens = config.generate().maxNewTokens();
        this.maxWaiting = config.generate().maxWaiting();
        this.waiting = new Semaphore(maxWaiting);
    }

    /**
     * Starts a completion of {@code prompt} from the current weights, or from the checkpoint named
     * {@code checkpoint} when it is not empty. Cancelling the returned future gives up waiting.
     *
     * @throws IllegalArgumentException the request asks for more than this trainer allows
     * @throws GenerationsBusyException too many calls are waiting already
     */
    public CompletableFuture<Completion> submit(String prompt, GenerationSettings settings, String checkpoint) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt is empty");
        }
        if (settings.maxNewTokens() > maxNewTokens) {
            throw new IllegalArgumentException("max_new_tokens " + settings.maxNewTokens()
                    + " is above this trainer's limit of " + maxNewTokens + " (dftune.generate.max-new-tokens)");
        }
        if (!waiting.tryAcquire()) {
            throw new GenerationsBusyException(maxWaiting
                    + " Generate calls are already waiting or running (dftune.generate.max-waiting); retry later");
        }
        CompletableFuture<Completion> result;
        try {
            result = checkpoint.isEmpty()
                    ? session.weights().submit(w -> Completion.of(w.model(), w.tokenizer(), w.step(), prompt, settings))
                    : CompletableFuture.completedFuture(fromCheckpoint(checkpoint, prompt, settings));
        } catch (RuntimeException e) {
            waiting.release();
            throw e;
        }
        result.whenComplete((completion, failure) -> waiting.release());
        return result;
    }

    private Completion fromCheckpoint(String name, String prompt, GenerationSettings settings) {
        Path output = session.outputDirectory().orElseThrow(() -> new NoActiveRunException("no run was started"));
        checkpointLoads.acquireUninterruptibly();
        try {
            return CheckpointCompletions.complete(output, name, prompt, settings);
        } finally {
            checkpointLoads.release();
        }
    }
}
