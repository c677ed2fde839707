package io.dftune.operator.dependent;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.config.OperatorConfig;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.ResourcesSpec;
import io.dftune.spec.TolerationSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer pod: {@code serve} from the image's entrypoint, the job file and token mounted,
 * restricted pod security (non-root 1000:1000, read-only root filesystem with a writable /tmp, no
 * capabilities, RuntimeDefault seccomp), and time to checkpoint when stopped.
 */
public final class TrainerPod {
    public static final String CONTAINER = "trainer";
    public static final String PORT_NAME = "http";
    public static final int PORT = 8080;
    public static final long USER = 1000;
    public static final String JOB_DIR = "/etc/dftune/job";
    public static final String AUTH_DIR = "/etc/dftune/auth";
    public static final String JOB_FILE = JOB_DIR + "/" + TrainerManifest.FILE_NAME;
    public static final String TOKEN_FILE = AUTH_DIR + "/" + AuthSecretDependent.TOKEN_KEY;
    public static final String DJL_CACHE = "/opt/djl";
    /** Kubernetes' default place for the container's termination message, where the trainer leaves its final report. */
    public static final String TERMINATION_MESSAGE = "/dev/termination-log";

    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String METRICS_PATH = "/q/metrics";
    /** Beyond the trainer's own stop grace period: JVM exit and a slow kubelet. */
    static final long GRACE_MARGIN_SECONDS = 30;

    private TrainerPod() {}

    public static PodTemplateSpec template(FineTuneJob job, OperatorConfig config, int attempt) {
        FineTuneJobSpec spec = job.getSpec();
        String name = job.getMetadata().getName();
        VolumeLayout layout = VolumeLayout.of(spec);
        long grace = config.trainer().stopGracePeriod().toSeconds();

        List<Volume> volumes = new ArrayList<>(List.of(
                new VolumeBuilder()
                        .withName("job")
                        .withNewConfigMap()
                        .withName(ResourceNames.specConfigMap(name))
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName("auth")
                        .withNewSecret()
                        .withSecretName(ResourceNames.authSecret(name))
                        .withDefaultMode(0440)
                        .endSecret()
                        .build(),
                new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build()));
        volumes.addAll(layout.volumes());
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                new VolumeMountBuilder()
                        .withName("job")
                        .withMountPath(JOB_DIR)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder()
                        .withName("auth")
                        .withMountPath(AUTH_DIR)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build()));
        mounts.addAll(layout.mounts());

        Container trainer = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(
                        spec.getImage() != null
                                ? spec.getImage()
                                : config.trainer().image())
                .withArgs("serve")
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(PORT)
                .withProtocol("TCP")
                .endPort()
                .withEnv(
                        new EnvVar("DFTUNE_JOB_FILE", JOB_FILE, null),
                        new EnvVar("DFTUNE_AUTH_TOKEN_FILE", TOKEN_FILE, null),
                        new EnvVar("DFTUNE_STOP_GRACE_PERIOD", grace + "s", null),
                        new EnvVar("DJL_OFFLINE", "true", null),
                        new EnvVar("DJL_CACHE_DIR", DJL_CACHE, null),
                        new EnvVar("ENGINE_CACHE_DIR", DJL_CACHE, null),
                        new EnvVar("DFTUNE_TERMINATION_MESSAGE_PATH", TERMINATION_MESSAGE, null))
                .withResources(resources(spec.getResources()))
                // the trainer's final report; one that failed without writing it leaves the end of its log
                .withTerminationMessagePath(TERMINATION_MESSAGE)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withVolumeMounts(mounts)
                .withReadinessProbe(probe("/q/health/ready", 3))
                .withLivenessProbe(probe("/q/health/live", 6))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(USER)
                .withRunAsGroup(USER)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build();

        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(ResourceNames.labels(name))
                .withAnnotations(annotations(config, attempt))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(grace + GRACE_MARGIN_SECONDS)
                .withPriorityClassName(spec.getPriorityClassName())
                .withNodeSelector(spec.getNodeSelector())
                .withTolerations(tolerations(spec.getTolerations()))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(USER)
                .withRunAsGroup(USER)
                .withFsGroup(USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(trainer)
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private static Map<String, String> annotations(OperatorConfig config, int attempt) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ResourceNames.ANNOTATION_ATTEMPT, String.valueOf(attempt));
        if (config.trainer().scrapeAnnotations()) {
            annotations.put("prometheus.io/scrape", "true");
            annotations.put("prometheus.io/port", String.valueOf(PORT));
            annotations.put("prometheus.io/path", METRICS_PATH);
        }
        return annotations;
    }

    private static Probe probe(String path, int failureThreshold) {
        return new ProbeBuilder()
                .withHttpGet(new HTTPGetActionBuilder()
                        .withPath(path)
                        .withPort(new IntOrString(PORT_NAME))
                        .build())
                .withPeriodSeconds(10)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /** Requests equal limits, so the pod gets what it asked for and no more. */
    private static ResourceRequirements resources(ResourcesSpec resources) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (resources != null) {
            if (resources.getCpu() != null) {
                amounts.put("cpu", new Quantity(resources.getCpu()));
            }
            if (resources.getMemory() != null) {
                amounts.put("memory", new Quantity(resources.getMemory()));
            }
            if (resources.getGpus() > 0) {
                amounts.put(GPU_RESOURCE, new Quantity(String.valueOf(resources.getGpus())));
            }
        }
        ResourceRequirements requirements = new ResourceRequirements();
        if (!amounts.isEmpty()) {
            requirements.setRequests(new LinkedHashMap<>(amounts));
            requirements.setLimits(new LinkedHashMap<>(amounts));
        }
        return requirements;
    }

    private static List<Toleration> tolerations(List<TolerationSpec> tolerations) {
        if (tolerations == null) {
            return null;
        }
        return tolerations.stream()
                .map(t -> new TolerationBuilder()
                        .withKey(t.getKey())
                        .withOperator(t.getOperator() == TolerationSpec.Operator.EXISTS ? "Exists" : "Equal")
                        .withValue(t.getValue())
                        .withEffect(
                                t.getEffect() == null
                                        ? null
                                        : switch (t.getEffect()) {
                                            case NO_SCHEDULE -> "NoSchedule";
                                            case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
                                            case NO_EXECUTE -> "NoExecute";
                                        })
                        .withTolerationSeconds(t.getTolerationSeconds())
                        .build())
                .toList();
    }
}
