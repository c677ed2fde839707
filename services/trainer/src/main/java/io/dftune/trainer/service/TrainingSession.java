package io.dftune.trainer.service;

import io.dftune.engine.train.LaunchedRun;
import io.dftune.engine.train.RunFailures;
import io.dftune.engine.train.RunLauncher;
import io.dftune.engine.train.RunOutcome;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.TrainingListener;
import io.dftune.proto.v1.RunStatus;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.run.ErrorText;
import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.metrics.RunMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one run of this process: started from the job file at start-up or by StartRun, trained on
 * its own thread whether or not anyone watches, stopped by CancelRun or SIGTERM after a
 * checkpoint. Its model stays loaded after training so Generate can use the final weights.
 */
// A singleton, not application-scoped: the stop-signal hook uses it after the container is gone.
@Singleton
public class TrainingSession {
    private static final Logger LOG = Logger.getLogger(TrainingSession.class);
    private static final RunLauncher LAUNCHER = new RunLauncher();

    private final TrainerConfig config;
    private final MeterRegistry registry;
    private final EventLog events;
    private final RunTracker tracker;
    private final CurrentWeights weights = new CurrentWeights();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean claimed;
    private FineTuneJob job;
    private LaunchedRun run;
    private volatile int exitCode = ExitCodes.SUCCEEDED;

    @Inject
    public TrainingSession(TrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.events = new EventLog(config.eventBufferSize());
        this.tracker = new RunTracker(events);
    }

    public EventLog events() {
        return events;
    }

    public RunStatus status() {
        return tracker.status();
    }

    public CurrentWeights weights() {
        return weights;
    }

    /** The run's job, once one was started. */
    public synchronized Optional<FineTuneJob> job() {
        return Optional.ofNullable(job);
    }

    /**
     * Starts training {@code job} (already loaded and validated) on its own thread.
     *
     * @throws RunAlreadyStartedException this process already has a run
     */
    public RunStatus start(FineTuneJob job) {
        FineTuneJobSpec spec = job.getSpec();
        String name = job.getMetadata() == null || job.getMetadata().getName() == null
                ? ""
                : job.getMetadata().getName();
        String namespace = job.getMetadata() == null || job.getMetadata().getNamespace() == null
                ? config.namespace()
                : job.getMetadata().getNamespace();
        LaunchedRun prepared = LAUNCHER.prepare(spec);
        synchronized (this) {
            if (claimed) {
                prepared.close();
                throw new RunAlreadyStartedException("this trainer already has a run (phase "
                        + RunMeters.phaseLabel(tracker.phase()) + "); it runs one job per process");
            }
            claimed = true;
            this.job = job;
            this.run = prepared;
        }
        RunMeters meters = new RunMeters(registry, name, namespace, prepared.objectiveName(), tracker::phase);
        tracker.loading(name, namespace, prepared.objectiveName());
        RunStatus loading = tracker.status();
        TrainingListener listener = new TrainingListeners(List.of(tracker, meters, weights, new StepLog()));
        Thread thread = new Thread(() -> train(prepared, listener), "dftune-training");
        thread.setDaemon(true);
        thread.start();
        return loading;
    }

    /** Records a job that could not be started (the job file was unusable): the process fails with it. */
    public void failWithoutRun(String error) {
        synchronized (this) {
            if (claimed) {
                throw new RunAlreadyStartedException("this trainer already has a run");
            }
            claimed = true;
        }
        System.err.println("dftune: " + error);
        tracker.failed(error);
        exitCode = ExitCodes.FAILED;
        ended.countDown();
    }

    private void train(LaunchedRun launched, TrainingListener listener) {
        try {
            RunResult result = launched.run(listener);
            weights.rest();
            exitCode = result.outcome().exitCode();
        } catch (RuntimeException | Error e) {
            String error = ErrorText.oneLine(e);
            LOG.debug("run failed", e);
            System.err.println("dftune: " + error);
            weights.close();
            tracker.failed(error);
            exitCode = RunFailures.exitCode(e);
        } finally {
            ended.countDown();
        }
    }

    /**
     * Asks the run to finish its step, write a checkpoint and end with {@code reason}.
     *
     * @throws NoActiveRunException there is no run, or it already ended
     */
    public RunStatus requestStop(RunOutcome reason) {
        synchronized (this) {
            if (!claimed) {
                throw new NoActiveRunException("there is no run to stop");
            }
            if (hasEnded()) {
                throw new NoActiveRunException(
                        "the run already ended (phase " + RunMeters.phaseLabel(tracker.phase()) + ")");
            }
            // Published before the run can see the request, so STOPPING precedes its last events.
            tracker.stopping(reason);
            run.requestStop(reason);
        }
        return tracker.status();
    }

    /** For a stop signal: preempts a running run; true when there was one. */
    public boolean preemptIfRunning() {
        try {
            requestStop(RunOutcome.PREEMPTED);
            return true;
        } catch (NoActiveRunException e) {
            return false;
        }
    }

    public synchronized boolean isClaimed() {
        return claimed;
    }

    public boolean hasEnded() {
        return ended.getCount() == 0;
    }

    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** The process exit code the run's outcome calls for (0 while it runs). */
    public int exitCode() {
        return exitCode;
    }

    /** The checkpoint folder root of the run's output directory. */
    public synchronized Optional<Path> outputDirectory() {
        return job().map(j -> Path.of(j.getSpec().getOutput().getPath()));
    }

    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        if (preemptIfRunning()) {
            LOG.info("shutting down: finishing the current step and writing a checkpoint");
            if (!awaitEnd(config.stopGracePeriod())) {
                LOG.warnf("the run did not stop within %s", config.stopGracePeriod());
                return; // the training thread still uses the model: leave it open
            }
        }
        if (hasEnded()) {
            closeModel();
        }
    }

    private synchronized void closeModel() {
        weights.close();
        if (run != null) {
            run.close();
        }
    }
}
