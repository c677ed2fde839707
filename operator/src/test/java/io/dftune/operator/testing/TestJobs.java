package io.dftune.operator.testing;

import io.dftune.engine.testing.TinyJob;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** FineTuneJobs on the tiny model, and reading what the operator made of them. */
public final class TestJobs {
    public static final String NAMESPACE = "tests";
    public static final String MODELS = "models";
    public static final String RUNS = "runs";

    private final KubernetesClient client;

    public TestJobs(KubernetesClient client) {
        this.client = client;
    }

    /** Writes the tiny model and data into the {@code models} claim of the kubelet. */
    public static void writeModel(FakeKubelet kubelet) throws Exception {
        Path models = Files.createDirectories(kubelet.claim(MODELS));
        Files.createDirectories(kubelet.claim(RUNS));
        TinyJob.writeModelAndData(models);
    }

    /** The tiny job on the claims: model and data in {@code models}, output in {@code runs/<name>}. */
    public static String manifest(String name, int maxSteps, int checkpointEverySteps) {
        return TinyJob.manifest(name, "pvc://" + RUNS + "/" + name, maxSteps, checkpointEverySteps)
                .replace("namespace: tests", "namespace: " + NAMESPACE)
                .replace("path: model}", "path: pvc://" + MODELS + "/model}")
                .replace("train: train.jsonl", "train: pvc://" + MODELS + "/train.jsonl")
                .replace("eval: eval.jsonl", "eval: pvc://" + MODELS + "/eval.jsonl");
    }

    /** Tells {@code handler} about every trainer Job in any namespace (the operator's label). */
    public static SharedIndexInformer<Job> informOnTrainerJobs(
            KubernetesClient client, ResourceEventHandler<Job> handler) {
        return client.batch()
                .v1()
                .jobs()
                .inAnyNamespace()
                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                .inform(handler);
    }

    public FineTuneJob parse(String manifest) {
        return client.getKubernetesSerialization().unmarshal(manifest, FineTuneJob.class);
    }

    public FineTuneJob create(FineTuneJob job) {
        return client.resource(job).create();
    }

    public FineTuneJob get(String name) {
        return client.resources(FineTuneJob.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    public FineTuneJobStatus status(String name) {
        FineTuneJob job = get(name);
        return job == null || job.getStatus() == null ? new FineTuneJobStatus() : job.getStatus();
    }

    public Optional<Job> trainerJob(String name) {
        return Optional.ofNullable(client.batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withName(ResourceNames.trainer(name))
                .get());
    }

    public ConfigMap configMap(String name) {
        return client.configMaps()
                .inNamespace(NAMESPACE)
                .withName(ResourceNames.specConfigMap(name))
                .get();
    }

    public Secret secret(String name) {
        return client.secrets()
                .inNamespace(NAMESPACE)
                .withName(ResourceNames.authSecret(name))
                .get();
    }

    public Service service(String name) {
        return client.services()
                .inNamespace(NAMESPACE)
                .withName(ResourceNames.trainer(name))
                .get();
    }

    public List<Pod> pods(String name) {
        return client.pods()
                .inNamespace(NAMESPACE)
                .withLabel(ResourceNames.LABEL_JOB, name)
                .list()
                .getItems();
    }

    /** Every Event recorded on the FineTuneJob, oldest first. */
    public List<io.fabric8.kubernetes.api.model.Event> events(String name) {
        return client
                .v1()
                .events()
                .inNamespace(NAMESPACE)
                .withLabel(ResourceNames.LABEL_JOB, name)
                .list()
                .getItems()
                .stream()
                .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName()))
                .toList();
    }

    /**
     * Creates a pod of the operator's label that Fabric8's Pod type cannot hold ({@code containers} not a list): the
     * operator's pod informer stops on it for good.
     */
    public void createUnreadablePod() {
        client.resource(client.getKubernetesSerialization()
                        .unmarshal(
                                """
                                apiVersion: v1
                                kind: Pod
                                metadata:
                                  name: unreadable
                                  namespace: %s
                                  labels: {%s: %s}
                                spec: {containers: "not a list"}
                                """
                                        .formatted(NAMESPACE, ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER),
                                GenericKubernetesResource.class))
                .create();
    }

    public void setSuspend(String name, boolean suspend) {

        client.resources(FineTuneJob.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .edit(j -> {
                    j.getSpec().setSuspend(suspend);
                    return j;
                });
    }
}
