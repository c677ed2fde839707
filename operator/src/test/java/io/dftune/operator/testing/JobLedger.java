package io.dftune.operator.testing;

import io.dftune.operator.api.ResourceNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every trainer Job created, as the API server shows it to a watcher apart from the operator: for
 * each FineTuneJob, each Job's uid, attempt and time, and any moment when a new Job appeared while
 * a pod of another of its Jobs had not ended yet (two trainers at once on one output).
 */
public final class JobLedger implements AutoCloseable {
    /** One Job creation. */
    public record Created(String namespace, String fineTuneJob, String uid, int attempt, Instant at) {}

    private final KubernetesClient client;
    private final List<Created> created = new ArrayList<>();
    private final List<String> overlaps = new ArrayList<>();
    private final Map<String, String> live = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Job> informer;

    public JobLedger(KubernetesClient client) {
        this.client = client;
        this.informer = TestJobs.informOnTrainerJobs(client, new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                added(job);
            }

            @Override
            public void onUpdate(Job old, Job job) {}

            @Override
            public void onDelete(Job job, boolean unknown) {
                live.remove(key(job), job.getMetadata().getUid());
            }
        });
    }

    private synchronized void added(Job job) {
        String ftj = job.getMetadata().getLabels().get(ResourceNames.LABEL_JOB);
        String namespace = job.getMetadata().getNamespace();
        String uid = job.getMetadata().getUid();
        created.add(new Created(namespace, ftj, uid, ResourceNames.attempt(job), Instant.now()));
        String before = live.put(key(job), uid);
        if (before != null && !before.equals(uid)) {
            overlaps.add(ftj + ": Job " + uid + " while Job " + before + " still existed");
        }
        for (Pod pod : client.pods()
                .inNamespace(namespace)
                .withLabel(ResourceNames.LABEL_JOB, ftj)
                .list()
                .getItems()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            boolean ownedByOther =
                    pod.getMetadata().getOwnerReferences().stream().noneMatch(o -> uid.equals(o.getUid()));
            if (ownedByOther && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                overlaps.add(ftj + ": Job " + uid + " (attempt " + ResourceNames.attempt(job) + ") created while pod "
                        + pod.getMetadata().getName() + " of an earlier Job was " + phase);
            }
        }
    }

    private static String key(Job job) {
        return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    }

    public synchronized List<Created> created() {
        return List.copyOf(created);
    }

    /** The Jobs created for one FineTuneJob, oldest first. */
    public synchronized List<Created> created(String fineTuneJob) {
        return created.stream().filter(c -> c.fineTuneJob().equals(fineTuneJob)).toList();
    }

    /** Each time two trainers of one FineTuneJob could have run at once; empty when never. */
    public synchronized List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    @Override
    public void close() {
        informer.close();
    }
}
