package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** An invalid FineTuneJob gets no objects: only a status condition that names the fields. */
public class ValidSpecCondition implements Condition<Object, FineTuneJob> {
    @Override
    public boolean isMet(
            DependentResource<Object, FineTuneJob> dependent, FineTuneJob job, Context<FineTuneJob> context) {
        return WorkflowInput.of(context).validSpec();
    }
}
