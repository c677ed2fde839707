package io.dftune.trainer.service;

import io.dftune.engine.model.CausalLm;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Access to the run's in-memory weights for work that reads them (generation). While the run
 * trains, the work waits in a queue, and the training thread runs one piece of it between two
 * steps, when the weights are consistent and nothing else uses the model, so however many wait,
 * training is slowed by at most one piece per step. Once training is over, work runs at once, one
 * piece at a time.
 */
public final class CurrentWeights implements TrainingListener {
    /** What the work gets: the model, its tokenizer and the step its weights are at. */
    public record Weights(CausalLm model, ModelTokenizer tokenizer, long step) {}

    private enum State {
        NONE,
        TRAINING,
        RESTING,
        CLOSED
    }

    private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final Object use = new Object();
    private State state = State.NONE;
    private CausalLm model;
    private ModelTokenizer tokenizer;
    private volatile long step;

    /** The training thread has loaded the model; work now waits for the gaps between steps. */
    @Override
    public synchronized void onLoaded(CausalLm model, ModelTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        state = State.TRAINING;
    }

    /**
     * Runs {@code work} on the current weights.
     *
     * @throws NoActiveRunException when there are none (no run, still loading, or the run failed)
     */
    public <T> CompletableFuture<T> submit(Function<Weights, T> work) {
        Pending<T> pending = new Pending<>(work);
        synchronized (this) {
            switch (state) {
                case NONE ->
                    throw new NoActiveRunException("no weights loaded yet: no run, or the run is still loading");
                case CLOSED ->
                    throw new NoActiveRunException("the run failed; its weights are gone (name a checkpoint)");
                case TRAINING -> {
                    queue.add(pending);
                    return pending.future;
                }
                case RESTING -> {}
            }
        }
        runAll();
        pending.run(snapshot());
        return pending.future;
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        step = resumedFromStep;
        runOne();
    }

    @Override
    public void onStep(StepMetrics metrics) {
        step = metrics.step();
        runOne();
    }

    /** Training is over and the model stays loaded: queued work runs now, later work at once. */
    public void rest() {
        synchronized (this) {
            state = State.RESTING;
        }
        synchronized (use) {
            model.setTrainable(false); // no autograd graphs for inference on other threads
        }
        runAll();
    }

    /** The model is gone: queued work fails. */
    public void close() {
        synchronized (this) {
            state = State.CLOSED;
            model = null;
            tokenizer = null;
        }
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            p.future.completeExceptionally(new NoActiveRunException("the run ended before the request was served"));
        }
    }

    private Weights snapshot() {
        synchronized (this) {
            return new Weights(model, tokenizer, step);
        }
    }

    private void runOne() {
        synchronized (use) {
            for (Pending<?> p; (p = queue.poll()) != null; ) {
                if (p.run(snapshot())) {
                    return;
                }
            }
        }
    }

    private void runAll() {
        synchronized (use) {
            for (Pending<?> p; (p = queue.poll()) != null; ) {
                p.run(snapshot());
            }
        }
    }

    private final class Pending<T> {
        final Function<Weights, T> work;
        final CompletableFuture<T> future = new CompletableFuture<>();

        Pending(Function<Weights, T> work) {
            this.work = work;
        }

        /** Runs the work unless its caller gave up waiting; true when it ran. */
        boolean run(Weights weights) {
            if (future.isDone()) {
                return false; // the caller gave up waiting
            }
            synchronized (use) {
                try {
                    future.complete(work.apply(weights));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
            return true;
        }
    }
}
