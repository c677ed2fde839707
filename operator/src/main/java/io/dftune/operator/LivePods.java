package io.dftune.operator;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * A FineTuneJob's trainer pods as the API server has them now, read just before a new trainer Job is
 * made for a job that was reconciled before (a resume, a retry, a fixed spec). The informer's cache can
 * lag behind the server (a cut watch, an operator that just started); "never two trainers on one output
 * directory" must not rest on it, and one read per new attempt is cheap.
 */
final class LivePods {
    private LivePods() {}

    static List<Pod> of(KubernetesClient client, FineTuneJob job) {
        return client.pods()
                .inNamespace(job.getMetadata().getNamespace())
                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                .withLabel(ResourceNames.LABEL_JOB, job.getMetadata().getName())
                .list()
                .getItems();
    }
}
