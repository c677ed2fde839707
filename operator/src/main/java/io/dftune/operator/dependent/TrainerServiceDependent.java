package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** {@code <job>-trainer}: the trainer pod's port {@code http} (gRPC, /q/metrics, /q/health). */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNames.MANAGED_SELECTOR))
public class TrainerServiceDependent extends CRUDKubernetesDependentResource<Service, FineTuneJob> {

    @Override
    protected Service desired(FineTuneJob job, Context<FineTuneJob> context) {
        String name = job.getMetadata().getName();
        return new ServiceBuilder()
                .withMetadata(ResourceNames.metadata(job, ResourceNames.trainer(name)))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(
                        Map.of(ResourceNames.LABEL_NAME, ResourceNames.TRAINER_APP, ResourceNames.LABEL_JOB, name))
                .addNewPort()
                .withName(TrainerPod.PORT_NAME)
                .withProtocol("TCP")
                .withPort(TrainerPod.PORT)
                .withTargetPort(new IntOrString(TrainerPod.PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }
}
