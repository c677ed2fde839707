package io.dftune.operator.status;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.watch.RunSnapshot;
import io.dftune.spec.Violation;
import io.dftune.spec.run.RunDirectory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The FineTuneJob's next status, from what is observed now: the spec's violations, the trainer
 * Job and pods, the trainer's own report and the clock. A pure function of those, so a repeated
 * event or a restarted operator reaches the same status; counts move only when an attempt's
 * outcome is first seen (the attempt's Job is then replaced, so it is never counted twice).
 */
public final class Lifecycle {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
    public static final String CANCELLED = "Cancelled";
    public static final String SUCCEEDED = "Succeeded";
    public static final String SUSPENDED = "Suspended";
    public static final String RESUMING = "Resuming";
    public static final String PREEMPTED = "Preempted";
    public static final String TRAINER_FAILED = "TrainerFailed";
    public static final String DOES_NOT_FIT = "DoesNotFit";
    public static final String QUEUED = "Queued";
    public static final String STARTING = "Starting";
    public static final String TRAINING = "Training";

    /** Everything a decision depends on; {@code run}: what the operator followed of the trainer over gRPC. */
    public record Observed(
            FineTuneJob job,
            List<Violation> violations,
            Optional<Job> trainerJob,
            Collection<Pod> pods,
            Optional<RunSnapshot> run,
            Instant now) {}

    private Lifecycle() {}

    public static FineTuneJobStatus decide(Observed o) {
        FineTuneJob job = o.job();
        FineTuneJobStatus old = job.getStatus() == null ? new FineTuneJobStatus() : job.getStatus();
        FineTuneJobStatus s = StatusMapping.copy(old);
        long generation = job.getMetadata().getGeneration() == null
                ? 0
                : job.getMetadata().getGeneration();
        s.observedGeneration = generation;

        // The final report of an ended trainer pod has the whole run; before it, what was followed over gRPC.
        Optional<RunSnapshot> run = o.trainerJob()
                .flatMap(j -> Attempt.podOf(j, o.pods()))
                .flatMap(pod -> TerminationReport.of(pod, o.now()))
                .or(o::run);
        if (isFinal(old)) {
            // Succeeded and Failed stay; only the trainer's last report may still arrive.
        } else if (!o.violations().isEmpty()) {
            set(s, Phase.Failed, INVALID_SPEC, Validation.describe(o.violations()));
        } else {
            progress(o, s, run);
        }
        // A finished job takes the trainer's final report only, never an older progress report.
        run.filter(r -> !isFinal(old) || r.isTerminal()).ifPresent(r -> StatusMapping.merge(s, r));
        if (s.phase == Phase.Succeeded) {
            s.finalModel =
                    RunDirectory.finalModelLocation(job.getSpec().getOutput().getPath());
        }
        Conditions.apply(s, generation, o.now());
        return s;
    }

    private static void progress(Observed o, FineTuneJobStatus s, Optional<RunSnapshot> run) {
        FineTuneJob job = o.job();
        Optional<Job> current = o.trainerJob().filter(j -> ResourceNames.attempt(j) >= s.restarts);
        current.ifPresent(j -> s.restarts = Math.max(s.restarts, ResourceNames.attempt(j)));
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (deadline != null
                && s.startTime != null
                && !o.now().isBefore(Instant.parse(s.startTime).plusSeconds(deadline))) {
            set(
                    s,
                    Phase.Failed,
                    DEADLINE_EXCEEDED,
                    "the job ran longer than activeDeadlineSeconds (" + deadline
                            + "); the trainer pod is stopped after a checkpoint");
            s.completionTime = time(o.now());
            return;
        }
        if (job.getSpec().isSuspend()) {
            set(
                    s,
                    Phase.Suspended,
                    SUSPENDED,
                    Attempt.anyPodAlive(o.pods())
                            ? "stopping the trainer pod; it writes a checkpoint first"
                            : "the trainer pod is stopped; set suspend: false to resume from the newest checkpoint");
            return;
        }
        if (current.isEmpty()) {
            set(
                    s,
                    Phase.Pending,
                    STARTING,
                    Attempt.anyPodAlive(o.pods())
                            ? "waiting for the previous trainer pod to stop"
                            : "creating the trainer Job");
            return;
        }
        Attempt attempt = Attempt.of(current.get(), o.pods());
        if (stoppedBySuspension(s, attempt)) {
            // The suspension deleted this Job and stopped its pod; a cache that still shows the Job must not make
            // that stop a preemption or a failure. The Job goes (wantsTrainerJob), then a new one is made.
            set(
                    s,
                    Phase.Pending,
                    RESUMING,
                    "the suspended trainer pod has stopped; a new trainer pod resumes from the newest checkpoint");
            return;
        }
        int backoffLimit = job.getSpec().getBackoffLimit();
        switch (attempt.outcome()) {
            case SUCCEEDED -> {
                set(s, Phase.Succeeded, SUCCEEDED, "training finished");
                s.completionTime = time(o.now());
            }
            case CANCELLED -> {
                set(s, Phase.Failed, CANCELLED, attempt.detail());
                s.completionTime = time(o.now());
            }
            case DOES_NOT_FIT -> {
                // The trainer's own report names the plan and what would fit; the pod's log is the fallback.
                set(s, Phase.Failed, DOES_NOT_FIT, run.map(RunSnapshot::error).orElse(attempt.detail()));
                s.completionTime = time(o.now());
            }
            case PREEMPTED -> {
                s.restarts++;
                set(
                        s,
                        Phase.Pending,
                        PREEMPTED,
                        attempt.detail() + "; a new trainer pod resumes from the newest checkpoint");
            }
            case FAILED -> {
                s.failures++;
                String cause = attempt.detail()
                        + run.map(RunSnapshot::error).map(e -> ": " + e).orElse("");
                if (s.failures > backoffLimit) {
                    set(
                            s,
                            Phase.Failed,
                            BACKOFF_LIMIT_EXCEEDED,
                            "the trainer failed " + s.failures + (s.failures == 1 ? " time" : " times")
                                    + " (backoffLimit " + backoffLimit + "); last: " + cause);
                    s.completionTime = time(o.now());
                } else {
                    s.restarts++;
                    set(
                            s,
                            Phase.Pending,
                            TRAINER_FAILED,
                            cause + "; retry " + s.failures + " of " + backoffLimit
                                    + " resumes from the newest checkpoint");
                }
            }
            case RUNNING -> {
                set(s, Phase.Running, TRAINING, attempt.detail());
                if (s.startTime == null) {
                    s.startTime = time(o.now());
                }
            }
            case QUEUED -> set(s, Phase.Pending, QUEUED, attempt.detail());
            case STARTING -> set(s, Phase.Pending, STARTING, attempt.detail());
        }
    }

    /**
     * Whether the attempt's pod was stopped by a suspension that has just been lifted: it ended as a preemption or
     * a failure while the job was suspended or resuming from it.
     */
    private static boolean stoppedBySuspension(FineTuneJobStatus old, Attempt attempt) {
        boolean resuming = old.phase == Phase.Suspended || RESUMING.equals(old.reason);
        return resuming && (attempt.outcome() == Outcome.PREEMPTED || attempt.outcome() == Outcome.FAILED);
    }

    /** Succeeded, or Failed for a reason other than the spec (which a fix leaves). */
    public static boolean isFinal(FineTuneJobStatus status) {
        return status.phase == Phase.Succeeded || (status.phase == Phase.Failed && !INVALID_SPEC.equals(status.reason));
    }

    /**
     * Whether the trainer Job of the current attempt should exist: not for an invalid, suspended
     * or timed-out job; not for an earlier attempt (it is replaced); and not a new one for a
     * finished job (a finished Job is kept, for its pod's logs). A new Job also waits until the
     * pods of earlier attempts have stopped, so two trainers never write one output directory.
     */
    public static boolean wantsTrainerJob(
            FineTuneJob job, boolean validSpec, Optional<Job> actual, Collection<Pod> pods) {
        FineTuneJobStatus status = job.getStatus() == null ? new FineTuneJobStatus() : job.getStatus();
        if (!validSpec) {
            return false;
        }
        if (isFinal(status)) {
            return actual.isPresent() && !DEADLINE_EXCEEDED.equals(status.reason);
        }
        if (job.getSpec().isSuspend()) {
            return false;
        }
        if (actual.isPresent()) {
            // Resuming: the Job is the suspended attempt's, whose pod has ended; it goes before a new one is made.
            return ResourceNames.attempt(actual.get()) >= status.restarts && !RESUMING.equals(status.reason);
        }

        return !Attempt.anyPodAlive(pods);
    }

    /** When the clock alone changes the decision: the deadline of a job that runs. */
    public static Optional<Duration> deadlineIn(FineTuneJob job, FineTuneJobStatus status, Instant now) {
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        if (isFinal(status) || deadline == null || status.startTime == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, Instant.parse(status.startTime).plusSeconds(deadline)));
    }

    /** When a finished job's ttlSecondsAfterFinished runs out (negative: already). */
    public static Optional<Duration> ttlIn(FineTuneJob job, FineTuneJobStatus status, Instant now) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (!isFinal(status) || ttl == null || status.completionTime == null) {
            return Optional.empty();
        }
        return Optional.of(
                Duration.between(now, Instant.parse(status.completionTime).plusSeconds(ttl)));
    }

    private static void set(FineTuneJobStatus s, Phase phase, String reason, String message) {
        s.phase = phase;
        s.reason = reason;
        s.message = message;
    }

    static String time(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
