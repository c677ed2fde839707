package io.dftune.operator.testing;

import io.dftune.operator.api.FineTuneJob;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/**
 * Makes the mock API server serve FineTuneJobs with their status subresource, as the CRD that the
 * chart installs does; the operator itself never touches CRDs.
 */
public class FineTuneJobResources implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
        CustomResourceDefinitionContext crd = CustomResourceDefinitionContext.fromCustomResourceType(FineTuneJob.class);
        server.getKubernetesMockServer()
                .expectCustomResource(new CustomResourceDefinitionContext.Builder()
                        .withName(crd.getName())
                        .withGroup(crd.getGroup())
                        .withVersion(crd.getVersion())
                        .withScope(crd.getScope())
                        .withPlural(crd.getPlural())
                        .withKind(crd.getKind())
                        .withStatusSubresource(true)
                        .build());
    }
}
