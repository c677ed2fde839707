package io.dftune.operator.testing;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Objects as the API server would show them, for tests of the pure parts (no cluster): a
 * FineTuneJob on the tiny job, trainer Jobs of an attempt, and their pods in each state.
 */
public final class ClusterObjects {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    public static final String NAME = "ftj";
    public static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private ClusterObjects() {}

    /** The tiny job as created (generation 1, no status), changed by {@code edit}. */
    public static FineTuneJob fineTuneJob(Consumer<FineTuneJob> edit) {
        FineTuneJob job = SERIALIZATION.unmarshal(TestJobs.manifest(NAME, 10, 5), FineTuneJob.class);
        job.getMetadata().setUid("ftj-uid");
        job.getMetadata().setGeneration(1L);
        job.setStatus(null);
        edit.accept(job);
        return job;
    }

    public static FineTuneJob fineTuneJob(FineTuneJobStatus status) {
        return fineTuneJob(j -> j.setStatus(status));
    }

    /** A status in {@code phase}/{@code reason} after {@code restarts} restarts and {@code failures} failures. */
    public static FineTuneJobStatus status(
            io.dftune.operator.api.Phase phase, String reason, int restarts, int failures) {
        FineTuneJobStatus s = new FineTuneJobStatus();
        s.phase = phase;
        s.reason = reason;
        s.restarts = restarts;
        s.failures = failures;
        return s;
    }

    /** The trainer Job of an attempt, its uid {@code job-<attempt>}, as created (no status yet). */
    public static Job trainerJob(int attempt) {
        return new JobBuilder()
                .withNewMetadata()
                .withName(ResourceNames.trainer(NAME))
                .withNamespace(TestJobs.NAMESPACE)
                .withUid("job-" + attempt)
                .withAnnotations(Map.of(ResourceNames.ANNOTATION_ATTEMPT, String.valueOf(attempt)))
                .endMetadata()
                .withNewSpec()
                .withSuspend(false)
                .endSpec()
                .build();
    }

    /** The same Job suspended, as created for a Kueue queue that has not admitted it. */
    public static Job queued(Job job) {
        return new JobBuilder(job).editSpec().withSuspend(true).endSpec().build();
    }

    /** The same Job with a True condition ({@code Complete} or {@code Failed}), as the Job controller sets. */
    public static Job withCondition(Job job, String type) {
        return new JobBuilder(job)
                .withNewStatus()
                .withConditions(new JobConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .build())
                .endStatus()
                .build();
    }

    /** A pod of {@code job} in {@code phase}, created {@code second} seconds after T0. */
    public static Pod pod(Job job, String phase, int second) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + second)
                .withNamespace(TestJobs.NAMESPACE)
                .withUid("pod-" + job.getMetadata().getUid() + "-" + second)
                .withCreationTimestamp(T0.plusSeconds(second).toString())
                .withLabels(ResourceNames.labels(NAME))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withKind("Job")
                        .withApiVersion("batch/v1")
                        .withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    public static Pod pod(Job job, String phase) {
        return pod(job, phase, 0);
    }

    /** The pod ended: its container terminated with {@code exitCode} and {@code reason} (may be null). */
    public static Pod exited(Pod pod, int exitCode, String reason) {
        return exited(pod, exitCode, reason, null);
    }

    /** As {@link #exited(Pod, int, String)}, with the container's termination message. */
    public static Pod exited(Pod pod, int exitCode, String reason, String message) {
        return new PodBuilder(pod)
                .editStatus()
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName("trainer")
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(reason)
                        .withMessage(message)
                        .endTerminated()
                        .endState()
                        .build())
                .endStatus()
                .build();
    }

    /** The pod's own status.reason, as the kubelet or the node lifecycle controller sets it. */
    public static Pod podReason(Pod pod, String reason) {
        return new PodBuilder(pod).editStatus().withReason(reason).endStatus().build();
    }

    /** A {@code DisruptionTarget} condition with {@code status} and {@code reason}, as the control plane adds. */
    public static Pod disrupted(Pod pod, String status, String reason) {
        return new PodBuilder(pod)
                .editStatus()
                .addToConditions(new PodConditionBuilder()
                        .withType("DisruptionTarget")
                        .withStatus(status)
                        .withReason(reason)
                        .withMessage("by the scheduler")
                        .build())
                .endStatus()
                .build();
    }
}
