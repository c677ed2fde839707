package io.dftune.operator.dev;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kubernetes' garbage collector's part for a mock API server, which has none: every second, each
 * ConfigMap, Secret, Service and Job of the operator whose owner FineTuneJob is gone is deleted
 * (the fake kubelet then removes the Job's pods). An object without an owner reference to a
 * FineTuneJob is never collected, as in a cluster.
 */
final class GarbageCollector implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "garbage-collector");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger collected = new AtomicInteger();

    GarbageCollector(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Objects of the operator in the namespace: ConfigMaps, Secrets, Services, Jobs. */
    List<HasMetadata> owned() {
        return Stream.of(
                        client.configMaps(),
                        client.secrets(),
                        client.services(),
                        client.batch().v1().jobs())
                .flatMap(kind -> kind
                        .inNamespace(namespace)
                        .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                        .list()
                        .getItems()
                        .stream()
                        .map(HasMetadata.class::cast))
                .toList();
    }

    int collected() {
        return collected.get();
    }

    private void sweep() {
        try {
            // Objects first: the owner of any object listed was created before this FineTuneJob list.
            List<HasMetadata> objects = owned();
            Set<String> alive = client.resources(FineTuneJob.class).inNamespace(namespace).list().getItems().stream()
                    .map(j -> j.getMetadata().getUid())
                    .collect(Collectors.toSet());
            for (HasMetadata object : objects) {
                List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
                boolean orphan = owners != null
                        && owners.stream()
                                .anyMatch(o -> FineTuneJob.KIND.equals(o.getKind()) && !alive.contains(o.getUid()));
                if (orphan) {
                    client.resource(object).delete();
                    collected.incrementAndGet();
                }
            }
        } catch (KubernetesClientException e) {
            // the next sweep tries again
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
