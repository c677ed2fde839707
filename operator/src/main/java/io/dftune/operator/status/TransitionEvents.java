package io.dftune.operator.status;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * A Kubernetes Event on the FineTuneJob for each transition (a new phase or reason), so
 * {@code kubectl describe ftj} tells the story: Warning for failures and restarts, Normal otherwise.
 */
public final class TransitionEvents {
    private static final Logger LOG = Logger.getLogger(TransitionEvents.class);
    private static final Set<String> WARNINGS = Set.of(
            Lifecycle.INVALID_SPEC,
            Lifecycle.DOES_NOT_FIT,
            Lifecycle.DEADLINE_EXCEEDED,
            Lifecycle.BACKOFF_LIMIT_EXCEEDED,
            Lifecycle.CANCELLED,
            Lifecycle.TRAINER_FAILED,
            Lifecycle.PREEMPTED);

    private TransitionEvents() {}

    public static boolean isTransition(FineTuneJobStatus old, FineTuneJobStatus next) {
        return old == null || old.phase != next.phase || !Objects.equals(old.reason, next.reason);
    }

    /** Records the transition; an API error is logged, never fatal (events are best effort). */
    public static void record(KubernetesClient client, FineTuneJob job, FineTuneJobStatus next, Instant now) {
        String time = Lifecycle.time(now);
        String name = job.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(java.util.Map.of(
                        ResourceNames.LABEL_JOB, job.getMetadata().getName()))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(job.getApiVersion())
                        .withKind(job.getKind())
                        .withName(job.getMetadata().getName())
                        .withNamespace(job.getMetadata().getNamespace())
                        .withUid(job.getMetadata().getUid())
                        .withResourceVersion(job.getMetadata().getResourceVersion())
                        .build())
                .withType(WARNINGS.contains(next.reason) ? "Warning" : "Normal")
                .withReason(next.reason == null ? String.valueOf(next.phase) : next.reason)
                .withMessage(next.phase + ": " + (next.message == null ? "" : next.message))
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .withNewSource()
                .withComponent(ResourceNames.MANAGER)
                .endSource()
                .withReportingComponent(ResourceNames.MANAGER)
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(job.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "cannot record event %s on %s/%s: %s",
                    event.getReason(),
                    job.getMetadata().getNamespace(),
                    job.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
