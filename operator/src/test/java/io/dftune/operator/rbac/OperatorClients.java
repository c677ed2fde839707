package io.dftune.operator.rbac;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Two clients on the same API server: the operator's (the default bean, which the operator SDK
 * uses), whose every request {@link ObservedGrants} records, and the tests' own ({@link TestClient}:
 * setup, assertions, the fake kubelet), which is not recorded.
 */
@Singleton
public class OperatorClients {

    @Produces
    @Singleton
    KubernetesClient operator(Config config, KubernetesSerialization serialization) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withKubernetesSerialization(serialization)
                .withHttpClientBuilderConsumer(
                        http -> http.addOrReplaceInterceptor("rbac-observed", new ObservedGrants()))
                .build();
    }

    @Produces
    @Singleton
    @TestClient
    KubernetesClient test(Config config, KubernetesSerialization serialization) {
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withKubernetesSerialization(serialization)
                .build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }

    void closeTest(@Disposes @TestClient KubernetesClient client) {
        client.close();
    }
}
