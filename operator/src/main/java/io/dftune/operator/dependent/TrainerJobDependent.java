package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.util.Map;

/**
 * {@code <job>-trainer}: a batch Job that runs one trainer pod, once ({@code backoffLimit: 0}).
 * The operator, not the Job controller, decides about a failed pod (see docs/operator.md): it
 * deletes the Job and makes a new one for the next attempt, whose pod resumes from the newest
 * checkpoint. The Job is created and deleted, never updated: its pod template is immutable, and
 * with a queue Kueue owns {@code spec.suspend}. {@link TrainerJobCondition} says when it exists; {@link
 * ResourceNames#attempt} reads the attempt back.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNames.MANAGED_SELECTOR))
public class TrainerJobDependent extends KubernetesDependentResource<Job, FineTuneJob>
        implements Creator<Job, FineTuneJob>, GarbageCollected<FineTuneJob> {

    @Override
    protected Job desired(FineTuneJob job, Context<FineTuneJob> context) {
        String name = job.getMetadata().getName();
        int attempt = job.getStatus() == null ? 0 : job.getStatus().restarts;
        String queue = job.getSpec().getQueueName();
        ObjectMeta metadata = ResourceNames.metadata(job, ResourceNames.trainer(name));
        if (queue != null) {
            metadata.getLabels().put(ResourceNames.LABEL_KUEUE_QUEUE, queue);
        }
        metadata.setAnnotations(Map.of(ResourceNames.ANNOTATION_ATTEMPT, String.valueOf(attempt)));
        return new JobBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withBackoffLimit(0)
                .withCompletions(1)
                .withParallelism(1)
                // Created suspended when queued, so Kueue admits it; never touched again.
                .withSuspend(queue != null)
                .withTemplate(TrainerPod.template(job, WorkflowInput.of(context).config(), attempt))
                .endSpec()
                .build();
    }
}
