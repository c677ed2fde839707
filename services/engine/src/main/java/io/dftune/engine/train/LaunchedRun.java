package io.dftune.engine.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.dftune.engine.model.ComputePrecision;
import io.dftune.engine.model.ModelConfig;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.objective.Objective;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.plan.AvailableMemory;
import io.dftune.engine.plan.DoesNotFitException;
import io.dftune.engine.plan.MemoryAdvice;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.plan.MemoryPlanner;
import io.dftune.spec.FineTuneJobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One run of a job, made by {@link RunLauncher}: {@link #run} loads (on the calling thread) and
 * trains; {@link #requestStop} may come from any thread at any time. A stop during loading ends
 * the run as soon as loading is done, with nothing trained, and the next run resumes as if it had
 * not started. The loaded model stays open after the run, for evaluation and sampling, until
 * {@link #close}.
 */
public final class LaunchedRun implements AutoCloseable {
    private final FineTuneJobSpec spec;
    private final Objective objective;
    private final ResponseLoss loss;
    private final StopRequest stop = new StopRequest();
    private NDManager root;
    private TrainingResources resources;

    LaunchedRun(FineTuneJobSpec spec, Objective objective, ResponseLoss loss) {
        this.spec = spec;
        this.objective = objective;
        this.loss = loss;
    }

    /** The objective's name, as metrics and status show it (e.g. {@code dft}). */
    public String objectiveName() {
        return objective.name();
    }

    /** Asks the run to finish its step, write a checkpoint and end with {@code reason}; the first request wins. */
    public void requestStop(RunOutcome reason) {
        stop.request(reason);
    }

    /**
     * Loads and trains; returns how the run ended. A run runs once.
     *
     * @throws RuntimeException the job's model, tokenizer or data cannot be read, or training failed
     */
    public RunResult run(TrainingListener listener) {
        synchronized (this) {
            if (root != null) {
                throw new IllegalStateException("this run already ran; prepare a new one to resume");
            }
            root = EngineStartup.newBaseManager();
        }
        checkMemory(listener);
        TrainingResources loaded = TrainingResources.open(spec, objective.needsReference(), root);
        synchronized (this) {
            resources = loaded;
        }
        listener.onLoaded(loaded.model(), loaded.tokenizer());
        Optional<RunOutcome> early = stop.reason();
        if (early.isPresent()) {
            long from = loaded.resumedFrom().map(c -> c.state().step()).orElse(0L);
            long total =
                    TrainingPlan.of(spec.getTraining(), loaded.train().size()).totalSteps();
            RunResult stopped = new RunResult(early.get(), from, total, null, null);
            listener.onFinish(stopped);
            return stopped;
        }
        return new FineTuneRun(spec, loaded, objective, loss, stop).run(listener);
    }

    /**
     * Plans the run's memory from config.json and the spec, before any weight is read, and stops it
     * when the plan exceeds what the device has.
     *
     * @throws DoesNotFitException naming what would make it fit
     */
    private void checkMemory(TrainingListener listener) {
        Device device = Engine.getInstance().defaultDevice();
        ModelConfig config;
        try {
            config = ModelConfig.read(Path.of(spec.getModel().getPath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        AvailableMemory memory = AvailableMemory.of(device);
        MemoryPlan plan = MemoryPlanner.plan(
                config,
                spec,
                ComputePrecision.of(spec.getTraining().getPrecision(), device),
                loss.chunkTokens(),
                memory.bytes(),
                memory.source());
        listener.onPlan(plan);
        if (!plan.fits()) {
            List<MemoryAdvice.Option> options = MemoryAdvice.options(
                    config, spec, precision -> ComputePrecision.of(precision, device), loss.chunkTokens(), plan);
            throw new DoesNotFitException(MemoryAdvice.message(plan, options), plan);
        }
    }

    /**
     * What the run loaded: after {@link #run} returned, the model as the run left it.
     *
     * @throws IllegalStateException the run has not loaded yet
     */
    public synchronized TrainingResources resources() {
        if (resources == null) {
            throw new IllegalStateException("the run has not loaded its model yet");
        }
        return resources;
    }

    @Override
    public synchronized void close() {
        if (resources != null) {
            resources.close();
            resources = null;
        }
        if (root != null) {
            root.close();
        }
    }
}
