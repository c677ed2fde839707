package io.dftune.operator.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The deterministic names and labels of everything a FineTuneJob owns. A name is a function of
 * the FineTuneJob's name only, so a repeated event or a restarted operator finds what exists.
 */
public final class ResourceNames {
    /** {@code <name>-trainer} must be a DNS-1035 label (63 characters): it names a Service. */
    public static final int MAX_JOB_NAME_LENGTH = 55;

    private static final java.util.regex.Pattern DNS_1035 =
            java.util.regex.Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_JOB = "dftune.io/job";
    public static final String LABEL_KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
    /** On the trainer Job: which attempt (status.restarts when it was created) it runs. */
    public static final String ANNOTATION_ATTEMPT = "dftune.io/attempt";

    public static final String TRAINER_APP = "dftune-trainer";
    public static final String MANAGER = "dftune-operator";
    /** Label selector of every object the operator creates (its informers watch only those). */
    public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGER;

    private ResourceNames() {}

    public static String specConfigMap(String job) {
        return job + "-spec";
    }

    public static String authSecret(String job) {
        return job + "-auth";
    }

    /** The batch Job and the Service share it. */
    public static String trainer(String job) {
        return job + "-trainer";
    }

    public static Map<String, String> labels(String job) {
        return Map.of(LABEL_NAME, TRAINER_APP, LABEL_MANAGED_BY, MANAGER, LABEL_INSTANCE, job, LABEL_JOB, job);
    }

    /** Metadata of an object the FineTuneJob owns: its name, the job's namespace, the common labels. */
    public static ObjectMeta metadata(FineTuneJob job, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(new java.util.HashMap<>(labels(job.getMetadata().getName())))
                .build();
    }

    /** The attempt a trainer Job runs: {@link #ANNOTATION_ATTEMPT}, 0 when it has none. */
    public static int attempt(HasMetadata trainerJob) {
        return Optional.ofNullable(trainerJob.getMetadata().getAnnotations())
                .map(a -> a.get(ANNOTATION_ATTEMPT))
                .map(Integer::parseInt)
                .orElse(0);
    }

    /** Why the FineTuneJob's name cannot name its objects, or empty when it can. */
    public static Optional<String> nameProblem(String job) {
        if (job.length() > MAX_JOB_NAME_LENGTH || !DNS_1035.matcher(job).matches()) {
            return Optional.of("must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter) "
                    + "of at most " + MAX_JOB_NAME_LENGTH + " characters, since it names the Service \""
                    + trainer(job) + "\" (got \"" + job + "\")");
        }
        return Optional.empty();
    }
}
