package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.status.Lifecycle;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Whether the trainer Job exists ({@link Lifecycle#wantsTrainerJob}); when not, the workflow
 * deletes it, and its pod stops after a checkpoint.
 */
public class TrainerJobCondition implements Condition<Job, FineTuneJob> {
    @Override
    public boolean isMet(DependentResource<Job, FineTuneJob> dependent, FineTuneJob job, Context<FineTuneJob> context) {
        return Lifecycle.wantsTrainerJob(
                job, dependent.getSecondaryResource(job, context), context.getSecondaryResources(Pod.class));
    }
}
