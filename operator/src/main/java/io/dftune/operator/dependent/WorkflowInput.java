package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.config.OperatorConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler decided before it runs the workflow, handed to the dependents and their
 * conditions through the reconciliation's context: they build, the reconciler decides.
 *
 * @param validSpec whether the spec has no violations (validated once per reconciliation)
 * @param trainerJob whether the trainer Job of the current attempt should exist
 * @param config the operator's settings
 */
public record WorkflowInput(boolean validSpec, boolean trainerJob, OperatorConfig config) {
    private static final String KEY = WorkflowInput.class.getName();

    /** Makes this the input of the workflow the reconciler runs next. */
    public void putInto(Context<FineTuneJob> context) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, this);
    }

    static WorkflowInput of(Context<FineTuneJob> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, WorkflowInput.class);
    }
}
