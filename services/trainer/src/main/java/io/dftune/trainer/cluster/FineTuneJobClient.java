package io.dftune.trainer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment's FineTuneJobs in one namespace, through the API server: listed by the
 * experiment's label, created, and stopped ({@code spec.suspend: true} with the reason as an
 * annotation). Read as plain objects, so the command needs no part of the operator.
 */
final class FineTuneJobClient {
    private static final ResourceDefinitionContext FINE_TUNE_JOBS = new ResourceDefinitionContext.Builder()
            .withGroup("dftune.io")
            .withVersion("v1alpha1")
            .withKind(FineTuneJob.KIND)
            .withPlural("finetunejobs")
            .withNamespaced(true)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;

    FineTuneJobClient(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** A job as read: name, labels, annotations and status. */
    record Listed(String name, Map<String, String> annotations, JsonNode status) {}

    List<Listed> list(String experiment) {
        return jobs().withLabel(RunNames.EXPERIMENT, experiment).list().getItems().stream()
                .map(r -> new Listed(
                        r.getMetadata().getName(),
                        r.getMetadata().getAnnotations() == null
                                ? Map.of()
                                : r.getMetadata().getAnnotations(),
                        JSON.valueToTree(r.getAdditionalProperties().getOrDefault("status", Map.of()))))
                .toList();
    }

    void create(FineTuneJob job) {
        GenericKubernetesResource resource = client.getKubernetesSerialization()
                .unmarshal(FineTuneJobFiles.toJson(job), GenericKubernetesResource.class);
        jobs().resource(resource).create();
    }

    /** Suspends the job (the trainer checkpoints and stops; the status stays) and records why. */
    @SuppressWarnings("unchecked")
    void stop(String name, String reason) {
        jobs().withName(name).edit(r -> {
            ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put("suspend", true);
            Map<String, String> annotations = r.getMetadata().getAnnotations() == null
                    ? new HashMap<>()
                    : new HashMap<>(r.getMetadata().getAnnotations());
            annotations.put(RunNames.STOPPED_EARLY, reason);
            r.getMetadata().setAnnotations(annotations);
            return r;
        });
    }

    private MixedOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            all() {
        return client.genericKubernetesResources(FINE_TUNE_JOBS);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            jobs() {
        return all().inNamespace(namespace);
    }
}
