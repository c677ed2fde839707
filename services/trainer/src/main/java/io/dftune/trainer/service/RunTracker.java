package io.dftune.trainer.service;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.train.RunOutcome;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.PhaseChange;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

/**
 * Turns what happens to the run into its status (what GetRun answers) and its event stream.
 * Each change updates both under one lock, so a status always names the sequence number of the
 * last event it includes, and a watcher resuming after it misses nothing.
 */
public final class RunTracker implements TrainingListener {
    private final EventLog events;
    private final EtaEstimator eta = new EtaEstimator();
    private volatile RunStatus status;
    private boolean stopping;

    public RunTracker(EventLog events) {
        this.events = events;
        this.status = RunStatus.newBuilder()
                .setPhase(Phase.PHASE_IDLE)
                .setStreamId(events.streamId())
                .build();
    }

    public RunStatus status() {
        return status;
    }

    public Phase phase() {
        return status.getPhase();
    }

    public String streamId() {
        return events.streamId();
    }

    public void loading(String jobName, String namespace, String objective) {
        publish(
                s -> s.setPhase(Phase.PHASE_LOADING)
                        .setJobName(jobName)
                        .setNamespace(namespace)
                        .setObjective(objective)
                        .setStartTime(ProtoMessages.timestamp(Instant.now())),
                phase(Phase.PHASE_LOADING, 0, 0, "loading model, tokenizer and data"),
                false);
    }

    @Override
    public void onPlan(MemoryPlan plan) {
        var memoryPlan = ProtoMessages.memoryPlan(plan);
        publish(s -> s.setMemoryPlan(memoryPlan), RunEvent.newBuilder().setMemoryPlan(memoryPlan), false);
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        String message = resumedFromStep > 0
                ? "resumed from the checkpoint at step " + resumedFromStep
                : "training from the base model";
        Phase phase = stopping ? Phase.PHASE_STOPPING : Phase.PHASE_TRAINING;
        publish(
                s -> s.setPhase(phase)
                        .setStep(resumedFromStep)
                        .setTotalSteps(plan.totalSteps())
                        .setResumedFromStep(resumedFromStep),
                phase(phase, resumedFromStep, plan.totalSteps(), message),
                false);
    }

    @Override
    public void onStep(StepMetrics m) {
        OptionalDouble seconds = eta.onStep(m.step(), m.totalSteps(), System.nanoTime());
        publish(
                s -> {
                    s.setStep(m.step()).setTotalSteps(m.totalSteps()).setLatestTrain(ProtoMessages.train(m));
                    if (seconds.isPresent()) {
                        s.setEtaSeconds(seconds.getAsDouble());
                    }
                    return s;
                },
                RunEvent.newBuilder().setStep(ProtoMessages.train(m)),
                false);
    }

    @Override
    public void onEvalStart(long step) {
        if (!stopping) {
            publish(
                    s -> s.setPhase(Phase.PHASE_EVALUATING),
                    phase(Phase.PHASE_EVALUATING, step, status.getTotalSteps(), "evaluating at step " + step),
                    false);
        }
    }

    @Override
    public void onEval(EvalMetrics m) {
        var eval = ProtoMessages.eval(m);
        publish(
                s -> m.step() == 0 ? s.setLatestEval(eval).setBaseEval(eval) : s.setLatestEval(eval),
                RunEvent.newBuilder().setEval(eval),
                false);
        boolean more = m.step() < status.getTotalSteps();
        if (!stopping && more) {
            publish(
                    s -> s.setPhase(Phase.PHASE_TRAINING),
                    phase(Phase.PHASE_TRAINING, m.step(), status.getTotalSteps(), "training"),
                    false);
        }
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        var checkpoint = ProtoMessages.checkpoint(step, directory, seconds);
        publish(s -> s.setLatestCheckpoint(checkpoint), RunEvent.newBuilder().setCheckpoint(checkpoint), false);
    }

    /** A stop was requested; the run finishes its step and writes a checkpoint. */
    public void stopping(RunOutcome reason) {
        String message = reason == RunOutcome.CANCELLED
                ? "cancel requested: finishing the current step and writing a checkpoint"
                : "stop signal: finishing the current step and writing a checkpoint";
        synchronized (this) {
            if (stopping || isTerminal(status.getPhase())) {
                return;
            }
            stopping = true;
        }
        publish(
                s -> s.setPhase(Phase.PHASE_STOPPING),
                phase(Phase.PHASE_STOPPING, status.getStep(), status.getTotalSteps(), message),
                false);
    }

    @Override
    public void onFinish(RunResult result) {
        Phase phase =
                switch (result.outcome()) {
                    case SUCCEEDED -> Phase.PHASE_SUCCEEDED;
                    case CANCELLED -> Phase.PHASE_CANCELLED;
                    case PREEMPTED -> Phase.PHASE_PREEMPTED;
                };
        String message = result.finalModel() != null
                ? "fine-tuned model written to " + result.finalModel()
                : "stopped at step " + result.stepsDone() + "; the newest checkpoint resumes it";
        publish(
                s -> {
                    s.setPhase(phase)
                            .setStep(result.stepsDone())
                            .setCompletionTime(ProtoMessages.timestamp(Instant.now()))
                            .clearEtaSeconds();
                    if (result.finalModel() != null) {
                        s.setFinalModel(result.finalModel().toString());
                    }
                    return s;
                },
                phase(phase, result.stepsDone(), result.totalSteps(), message),
                true);
    }

    public void failed(String error) {
        publish(
                s -> s.setPhase(Phase.PHASE_FAILED)
                        .setError(error)
                        .setCompletionTime(ProtoMessages.timestamp(Instant.now()))
                        .clearEtaSeconds(),
                phase(Phase.PHASE_FAILED, status.getStep(), status.getTotalSteps(), error),
                true);
    }

    public static boolean isTerminal(Phase phase) {
        return phase == Phase.PHASE_SUCCEEDED
                || phase == Phase.PHASE_FAILED
                || phase == Phase.PHASE_CANCELLED
                || phase == Phase.PHASE_PREEMPTED;
    }

    private RunEvent.Builder phase(Phase phase, long step, long totalSteps, String message) {
        return RunEvent.newBuilder()
                .setPhase(PhaseChange.newBuilder()
                        .setPhase(phase)
                        .setStep(step)
                        .setTotalSteps(totalSteps)
                        .setMessage(message));
    }

    private synchronized void publish(
            UnaryOperator<RunStatus.Builder> change, RunEvent.Builder event, boolean terminal) {
        // Only this method appends, so the event's sequence number is known before it is visible.
        status = change.apply(status.toBuilder())
                .setLastSequence(events.lastSequence() + 1)
                .build();
        events.append(event, terminal);
    }
}
