package io.dftune.operator.status;

import static io.dftune.operator.testing.ClusterObjects.disrupted;
import static io.dftune.operator.testing.ClusterObjects.exited;
import static io.dftune.operator.testing.ClusterObjects.pod;
import static io.dftune.operator.testing.ClusterObjects.podReason;
import static io.dftune.operator.testing.ClusterObjects.queued;
import static io.dftune.operator.testing.ClusterObjects.trainerJob;
import static io.dftune.operator.testing.ClusterObjects.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What one trainer attempt came to, from its Job and pods alone: one row per case. */
class AttemptTest {
    private static final Job JOB = trainerJob(0);
    private static final Job OTHER_JOB = trainerJob(1);

    static Stream<Arguments> attempts() {
        return Stream.of(
                row("no pod yet", JOB, List.of(), Outcome.STARTING, "waiting for the trainer pod", null),
                row("pod pending", JOB, List.of(pod(JOB, "Pending")), Outcome.STARTING, "is starting", "0"),
                row(
                        "pod of another Job only",
                        JOB,
                        List.of(pod(OTHER_JOB, "Running")),
                        Outcome.STARTING,
                        "waiting for the trainer pod",
                        null),
                row("queued by Kueue", queued(JOB), List.of(), Outcome.QUEUED, "waits for admission", null),
                row("running", JOB, List.of(pod(JOB, "Running")), Outcome.RUNNING, "is running", "0"),
                row(
                        "newest pod counts",
                        JOB,
                        List.of(exited(pod(JOB, "Failed", 1), 1, null), pod(JOB, "Running", 2)),
                        Outcome.RUNNING,
                        "is running",
                        "2"),
                row(
                        "pod succeeded",
                        JOB,
                        List.of(exited(pod(JOB, "Succeeded"), 0, "Completed")),
                        Outcome.SUCCEEDED,
                        "succeeded",
                        "0"),
                row(
                        "Job complete, pod gone",
                        withCondition(JOB, "Complete"),
                        List.of(),
                        Outcome.SUCCEEDED,
                        "succeeded",
                        null),
                row(
                        "Job complete wins over a failed pod",
                        withCondition(JOB, "Complete"),
                        List.of(exited(pod(JOB, "Failed"), 1, "Error")),
                        Outcome.SUCCEEDED,
                        "succeeded",
                        "0"),
                row(
                        "exit 1",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 1, "Error")),
                        Outcome.FAILED,
                        "the trainer exited with code 1 (Error)",
                        "0"),
                row(
                        "exit 137 OOMKilled",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 137, "OOMKilled")),
                        Outcome.FAILED,
                        "exited with code 137 (OOMKilled)",
                        "0"),
                row(
                        "exit 2 without a reason",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 2, null)),
                        Outcome.FAILED,
                        "the trainer exited with code 2",
                        "0"),
                row(
                        "exit 3: cancelled",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 3, "Error")),
                        Outcome.CANCELLED,
                        "cancelled (exit code 3)",
                        "0"),
                row(
                        "exit 4: does not fit, the refusal from the end of the log",
                        JOB,
                        List.of(exited(
                                pod(JOB, "Failed"),
                                4,
                                "Error",
                                "memory plan: peak 29.3 GiB of 23.5 GiB available\n"
                                        + "dftune: the run does not fit: its memory plan peaks at 29.3 GiB\n"
                                        + "INFO shutting down\n")),
                        Outcome.DOES_NOT_FIT,
                        "dftune: the run does not fit: its memory plan peaks at 29.3 GiB (exit code 4)",
                        "0"),
                row(
                        "exit 4 without a termination message",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 4, "Error")),
                        Outcome.DOES_NOT_FIT,
                        "does not fit in the memory it has (exit code 4)",
                        "0"),
                row(
                        "exit 75: stopped after a checkpoint",
                        JOB,
                        List.of(exited(pod(JOB, "Failed"), 75, "Error")),
                        Outcome.PREEMPTED,
                        "after writing a checkpoint (exit code 75)",
                        "0"),
                row(
                        "exit 75 beats a disruption condition",
                        JOB,
                        List.of(disrupted(exited(pod(JOB, "Failed"), 75, null), "True", "PreemptionByScheduler")),
                        Outcome.PREEMPTED,
                        "exit code 75",
                        "0"),
                row(
                        "exit 3 beats a disruption condition",
                        JOB,
                        List.of(disrupted(exited(pod(JOB, "Failed"), 3, null), "True", "EvictionByEvictionAPI")),
                        Outcome.CANCELLED,
                        "exit code 3",
                        "0"),
                row(
                        "DisruptionTarget True, SIGKILLed",
                        JOB,
                        List.of(disrupted(exited(pod(JOB, "Failed"), 137, "Error"), "True", "PreemptionByScheduler")),
                        Outcome.PREEMPTED,
                        "disrupted (PreemptionByScheduler: by the scheduler)",
                        "0"),
                row(
                        "DisruptionTarget False is no disruption",
                        JOB,
                        List.of(disrupted(exited(pod(JOB, "Failed"), 137, "Error"), "False", "PreemptionByScheduler")),
                        Outcome.FAILED,
                        "exited with code 137",
                        "0"),
                row(
                        "evicted before the container ran",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "Evicted")),
                        Outcome.PREEMPTED,
                        "disrupted (Evicted)",
                        "0"),
                row(
                        "reason Preempting",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "Preempting")),
                        Outcome.PREEMPTED,
                        "disrupted (Preempting)",
                        "0"),
                row(
                        "reason Shutdown",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "Shutdown")),
                        Outcome.PREEMPTED,
                        "disrupted (Shutdown)",
                        "0"),
                row(
                        "reason NodeShutdown",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "NodeShutdown")),
                        Outcome.PREEMPTED,
                        "disrupted (NodeShutdown)",
                        "0"),
                row(
                        "reason Terminated",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "Terminated")),
                        Outcome.PREEMPTED,
                        "disrupted (Terminated)",
                        "0"),
                row(
                        "reason NodeLost",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "NodeLost")),
                        Outcome.PREEMPTED,
                        "disrupted (NodeLost)",
                        "0"),
                row(
                        "reason DeletionByTaintManager",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "DeletionByTaintManager")),
                        Outcome.PREEMPTED,
                        "disrupted (DeletionByTaintManager)",
                        "0"),
                row(
                        "other pod reason: a failure",
                        JOB,
                        List.of(podReason(pod(JOB, "Failed"), "UnexpectedAdmissionError")),
                        Outcome.FAILED,
                        "the trainer pod failed (UnexpectedAdmissionError)",
                        "0"),
                row(
                        "failed pod without reason or exit code",
                        JOB,
                        List.of(pod(JOB, "Failed")),
                        Outcome.FAILED,
                        "the trainer pod failed",
                        "0"),
                row(
                        "Job failed, pod lost",
                        withCondition(JOB, "Failed"),
                        List.of(),
                        Outcome.PREEMPTED,
                        "the trainer pod was lost",
                        null),
                row(
                        "Job failed, its pod's exit code decides",
                        withCondition(JOB, "Failed"),
                        List.of(exited(pod(JOB, "Failed"), 1, "Error")),
                        Outcome.FAILED,
                        "exited with code 1",
                        "0"),
                // The Job and pod informers lag independently: the pod's own end decides, once it is seen.
                row(
                        "Job failed, its pod's end not seen yet",
                        withCondition(JOB, "Failed"),
                        List.of(pod(JOB, "Running")),
                        Outcome.RUNNING,
                        "is running",
                        "0"),
                row(
                        "Job failed, its pending pod's end not seen yet",
                        withCondition(JOB, "Failed"),
                        List.of(pod(JOB, "Pending")),
                        Outcome.STARTING,
                        "is starting",
                        "0"),
                row(
                        "Job failed, then its pod's exit 75 seen",
                        withCondition(JOB, "Failed"),
                        List.of(exited(pod(JOB, "Failed"), 75, "Error")),
                        Outcome.PREEMPTED,
                        "exit code 75",
                        "0"));
    }

    private static Arguments row(
            String name, Job job, List<Pod> pods, Outcome outcome, String detail, String podSecond) {
        return Arguments.of(name, job, pods, outcome, detail, podSecond);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void anAttemptsOutcomeFollowsItsJobAndNewestPod(
            String name, Job job, List<Pod> pods, Outcome outcome, String detail, String podSecond) {
        Attempt attempt = Attempt.of(job, pods);
        assertThat(attempt.outcome()).isEqualTo(outcome);
        assertThat(attempt.detail()).contains(detail);
        assertThat(attempt.pod().map(p -> p.getMetadata().getName()))
                .isEqualTo(java.util.Optional.ofNullable(podSecond)
                        .map(s -> job.getMetadata().getName() + "-" + s));
    }
}
