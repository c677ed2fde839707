package io.dftune.operator.watch;

import io.dftune.proto.v1.Checkpoint;
import io.dftune.proto.v1.EvalMetrics;
import io.dftune.proto.v1.MemoryPlan;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.TrainMetrics;
import java.time.Instant;

/**
 * What a trainer reported last, as seen by the operator: GetRun's answer, brought up to date by
 * the WatchRun events after it. Immutable; {@link #with} derives the next one.
 *
 * @param podUid the trainer pod that reported it
 * @param etaSeconds the trainer's estimate from GetRun, then the remaining steps times the
 *     smoothed step time of the events since
 * @param stepSeconds smoothed seconds per optimizer step, from the step events
 * @param memoryPlan the run's memory plan, null until the trainer made it
 * @param baseEval the evaluation before the first step (an evaluation at step 0); null until seen
 * @param observedAt when the newest information was received
 */
public record RunSnapshot(
        String podUid,
        Phase phase,
        long step,
        long totalSteps,
        Double etaSeconds,
        Double stepSeconds,
        TrainMetrics train,
        EvalMetrics eval,
        Checkpoint checkpoint,
        long resumedFromStep,
        String error,
        String finalModel,
        MemoryPlan memoryPlan,
        EvalMetrics baseEval,
        Instant observedAt) {
    /** Weight of the newest step in the smoothed step time. */
    private static final double SMOOTHING = 0.2;

    public static RunSnapshot of(String podUid, RunStatus status, Instant now) {
        return new RunSnapshot(
                podUid,
                status.getPhase(),
                status.getStep(),
                status.getTotalSteps(),
                status.hasEtaSeconds() ? status.getEtaSeconds() : null,
                null,
                status.hasLatestTrain() ? status.getLatestTrain() : null,
                status.hasLatestEval() ? status.getLatestEval() : null,
                status.hasLatestCheckpoint() ? status.getLatestCheckpoint() : null,
                status.getResumedFromStep(),
                emptyToNull(status.getError()),
                emptyToNull(status.getFinalModel()),
                status.hasMemoryPlan() ? status.getMemoryPlan() : null,
                status.hasBaseEval() ? status.getBaseEval() : null,
                now);
    }

    public static RunSnapshot empty(String podUid, Instant now) {
        return of(podUid, RunStatus.getDefaultInstance(), now);
    }

    /** This snapshot with one event applied. */
    public RunSnapshot with(io.dftune.proto.v1.RunEvent event, Instant now) {
        return switch (event.getEventCase()) {
            case PHASE -> {
                var change = event.getPhase();
                boolean failed = change.getPhase() == Phase.PHASE_FAILED;
                yield new RunSnapshot(
                        podUid,
                        change.getPhase(),
                        Math.max(step, change.getStep()),
                        change.getTotalSteps() > 0 ? change.getTotalSteps() : totalSteps,
                        etaSeconds,
                        stepSeconds,
                        train,
                        eval,
                        checkpoint,
                        resumedFromStep,
                        failed ? emptyToNull(change.getMessage()) : error,
                        finalModel,
                        memoryPlan,
                        baseEval,
                        now);
            }
            case STEP -> {
                TrainMetrics m = event.getStep();
                long total = m.getTotalSteps() > 0 ? m.getTotalSteps() : totalSteps;
                Double smoothed = stepSeconds == null
                        ? Double.valueOf(m.getStepSeconds())
                        : (1 - SMOOTHING) * stepSeconds + SMOOTHING * m.getStepSeconds();
                yield new RunSnapshot(
                        podUid,
                        phase,
                        m.getStep(),
                        total,
                        Math.max(0, total - m.getStep()) * smoothed,
                        smoothed,
                        m,
                        eval,
                        checkpoint,
                        resumedFromStep,
                        error,
                        finalModel,
                        memoryPlan,
                        baseEval,
                        now);
            }
            case EVAL ->
                withReports(
                        event.getEval(),
                        event.getEval().getStep() == 0 ? event.getEval() : baseEval,
                        checkpoint,
                        memoryPlan,
                        now);
            case CHECKPOINT -> withReports(eval, baseEval, event.getCheckpoint(), memoryPlan, now);
            case MEMORY_PLAN -> withReports(eval, baseEval, checkpoint, event.getMemoryPlan(), now);
            case EVENT_NOT_SET -> this;
        };
    }

    /** This snapshot with the latest and the base evaluation, checkpoint and memory plan as given. */
    private RunSnapshot withReports(
            EvalMetrics eval, EvalMetrics baseEval, Checkpoint checkpoint, MemoryPlan memoryPlan, Instant now) {
        return new RunSnapshot(
                podUid,
                phase,
                step,
                totalSteps,
                etaSeconds,
                stepSeconds,
                train,
                eval,
                checkpoint,
                resumedFromStep,
                error,
                finalModel,
                memoryPlan,
                baseEval,
                now);
    }

    public boolean isTerminal() {
        return phase == Phase.PHASE_SUCCEEDED
                || phase == Phase.PHASE_FAILED
                || phase == Phase.PHASE_CANCELLED
                || phase == Phase.PHASE_PREEMPTED;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
