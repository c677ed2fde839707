package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <job>-spec}: the job file the trainer reads, mounted at /etc/dftune/job. */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNames.MANAGED_SELECTOR))
public class SpecConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, FineTuneJob> {

    @Override
    protected ConfigMap desired(FineTuneJob job, Context<FineTuneJob> context) {
        return new ConfigMapBuilder()
                .withMetadata(ResourceNames.metadata(
                        job, ResourceNames.specConfigMap(job.getMetadata().getName())))
                .addToData(TrainerManifest.FILE_NAME, TrainerManifest.yaml(job))
                .build();
    }
}
