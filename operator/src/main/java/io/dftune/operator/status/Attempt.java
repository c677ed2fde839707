package io.dftune.operator.status;

import io.dftune.spec.run.ExitCodes;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

/**
 * One trainer attempt as Kubernetes shows it: the batch Job, its newest pod, and what that says
 * about the outcome. The trainer's exit codes (docs/trainer-service.md) tell a failure (1) from a
 * cancellation (3), a run that does not fit its memory (4) and a preemption (75, SIGTERM after a
 * checkpoint).
 *
 */
public record Attempt(Outcome outcome, Optional<Pod> pod, String detail) {
    private static final Set<String> PREEMPTION_REASONS = Set.of(
            "Evicted", "Preempting", "Shutdown", "NodeShutdown", "Terminated", "NodeLost", "DeletionByTaintManager");

    public static Attempt of(Job job, Collection<Pod> pods) {
        Optional<Pod> pod = podOf(job, pods);
        String podPhase = pod.map(
                        p -> p.getStatus() == null ? null : p.getStatus().getPhase())
                .orElse(null);
        if (hasCondition(job, "Complete") || "Succeeded".equals(podPhase)) {
            return new Attempt(Outcome.SUCCEEDED, pod, "the trainer succeeded");
        }
        // A failed Job whose pod still shows running or pending: the pod's own end (its exit code)
        // has not reached this operator yet, and decides whether it was a failure or a preemption.
        boolean podEnded = pod.isEmpty() || "Failed".equals(podPhase);
        if ("Failed".equals(podPhase) || (hasCondition(job, "Failed") && podEnded)) {
            return failed(pod);
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return new Attempt(Outcome.QUEUED, pod, "the trainer Job waits for admission by its queue");
        }
        if ("Running".equals(podPhase)) {
            return new Attempt(Outcome.RUNNING, pod, "the trainer pod is running");
        }
        return new Attempt(
                Outcome.STARTING,
                pod,
                pod.isPresent()
                        ? "the trainer pod " + pod.get().getMetadata().getName() + " is starting"
                        : "waiting for the trainer pod");
    }

    private static Attempt failed(Optional<Pod> pod) {
        if (pod.isEmpty()) {
            return new Attempt(Outcome.PREEMPTED, pod, "the trainer pod was lost");
        }
        Pod p = pod.get();
        Optional<ContainerStateTerminated> terminated = terminated(p);
        Integer exit = terminated.map(ContainerStateTerminated::getExitCode).orElse(null);
        String reason = p.getStatus().getReason();
        if (exit != null && exit == ExitCodes.CANCELLED) {
            return new Attempt(Outcome.CANCELLED, pod, "the trainer run was cancelled (exit code 3)");
        }
        if (exit != null && exit == ExitCodes.DOES_NOT_FIT) {
            String why = terminated
                    .map(ContainerStateTerminated::getMessage)
                    .flatMap(Attempt::doesNotFitLine)
                    .orElse("the run does not fit in the memory it has");
            return new Attempt(Outcome.DOES_NOT_FIT, pod, why + " (exit code 4)");
        }
        if (exit != null && exit == ExitCodes.PREEMPTED) {
            return new Attempt(
                    Outcome.PREEMPTED, pod, "the trainer was stopped after writing a checkpoint (exit code 75)");
        }
        Optional<PodCondition> disruption = condition(p, "DisruptionTarget");
        if (disruption.isPresent() || (reason != null && PREEMPTION_REASONS.contains(reason))) {
            String why = disruption
                    .map(c -> c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                    .orElse(reason);
            return new Attempt(Outcome.PREEMPTED, pod, "the trainer pod was disrupted (" + why + ")");
        }
        String detail = terminated
                .map(t -> "the trainer exited with code " + t.getExitCode()
                        + (t.getReason() == null ? "" : " (" + t.getReason() + ")"))
                .orElse("the trainer pod failed" + (reason == null ? "" : " (" + reason + ")"));
        return new Attempt(Outcome.FAILED, pod, detail);
    }

    /**
     * The trainer's refusal from the end of its log, which the pod's {@code FallbackToLogsOnError}
     * policy keeps as the termination message of a trainer that left no report.
     */
    private static Optional<String> doesNotFitLine(String message) {
        if (message == null) {
            return Optional.empty();
        }
        return message.lines()
                .filter(l -> l.contains("does not fit"))
                .reduce((first, second) -> second)
                .map(String::strip);
    }

    /** The newest pod the Job owns. */
    public static Optional<Pod> podOf(Job job, Collection<Pod> pods) {
        String uid = job.getMetadata().getUid();
        return pods.stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null
                        && p.getMetadata().getOwnerReferences().stream()
                                .anyMatch(o -> uid != null && uid.equals(o.getUid())))
                .max(Comparator.comparing(
                                (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                        .thenComparing(p -> p.getMetadata().getName()));
    }

    /** Whether a pod that has not ended yet is left (one of an earlier attempt may still be writing a checkpoint). */
    public static boolean anyPodAlive(Collection<Pod> pods) {
        return pods.stream().anyMatch(p -> {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            return !"Succeeded".equals(phase) && !"Failed".equals(phase);
        });
    }

    static Optional<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .findFirst();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static boolean hasCondition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        return job.getStatus().getConditions().stream()
                .map(c -> (JobCondition) c)
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
