package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Whether the trainer Job exists, as the reconciler decided ({@link WorkflowInput#trainerJob});
 * when not, the workflow deletes it, and its pod stops after a checkpoint.
 */
public class TrainerJobCondition implements Condition<Job, FineTuneJob> {
    @Override
    public boolean isMet(DependentResource<Job, FineTuneJob> dependent, FineTuneJob job, Context<FineTuneJob> context) {
        return WorkflowInput.of(context).trainerJob();
    }
}
