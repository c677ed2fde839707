package io.dftune.operator.testing;

import io.dftune.operator.api.ClaimPaths;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.dependent.AuthSecretDependent;
import io.dftune.operator.dependent.TrainerManifest;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Plays the Job controller and the kubelet against the mock API server, which has neither: for
 * each trainer Job it creates the pod and runs the pod's container as a real trainer process
 * ({@code serve} with the job file from the ConfigMap and the token from the Secret), with the
 * claims "mounted" as folders under {@code root/pvc/<claim>}. The pod is Running once the process
 * runs; its exit code ends the pod and the Job as Kubernetes would, with the container's termination
 * message as the kubelet keeps it (the file the trainer wrote at its terminationMessagePath, or with
 * {@code FallbackToLogsOnError} the end of the log of a container that failed without one). A deleted Job's process gets
 * SIGTERM and its pod goes once the process exited (the garbage collector's part).
 */
public final class FakeKubelet implements AutoCloseable {
    private static final Path TRAINER_JAR = Path.of(
                    System.getProperty("trainer.jar", "../services/trainer/target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath()
            .normalize();

    private static final String TERMINATION_LOG = "termination-log";

    private final KubernetesClient client;
    private final Path root;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-kubelet");
        t.setDaemon(true);
        return t;
    });
    /** Job uid -> its trainer process. */
    private final Map<String, Process> processes = new ConcurrentHashMap<>();

    private final Set<String> started = ConcurrentHashMap.newKeySet();
    /** FineTuneJob (namespace/name) -> lock, so one job's trainers never overlap. */
    private final Map<String, Object> jobLocks = new ConcurrentHashMap<>();
    /** 0: each trainer on a free port of its own. */
    private final int trainerPort;
    /** Null: trainers listen on every address. */
    private final BiFunction<String, String, String> trainerHost;

    private SharedIndexInformer<Job> informer;

    public FakeKubelet(KubernetesClient client, Path root) {
        this(client, root, 0);
    }

    /** Runs every trainer on {@code trainerPort} (one at a time), for an operator in another process. */
    public FakeKubelet(KubernetesClient client, Path root, int trainerPort) {
        this(client, root, trainerPort, null);
    }

    /**
     * Runs each FineTuneJob's trainer on {@code trainerPort} of its own address, {@code
     * trainerHost.apply(namespace, name)} (a loopback address), as each pod has its own IP: many
     * trainers at once for an operator in another process that finds them by name.
     */
    public FakeKubelet(
            KubernetesClient client, Path root, int trainerPort, BiFunction<String, String, String> trainerHost) {
        this.client = client;
        this.root = root;
        this.trainerPort = trainerPort;
        this.trainerHost = trainerHost;
    }

    public static Path trainerJar() {
        return TRAINER_JAR;
    }

    /** The packaged CLI run as the tests run it (small heap, one libtorch thread), with these JVM options and arguments. */
    public static List<String> trainerCommand(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", TRAINER_JAR.toString()));
        command.addAll(args);
        return command;
    }

    /** Where the claim's files are. */
    public Path claim(String claim) {
        return root.resolve("pvc").resolve(claim);
    }

    public FakeKubelet start() {
        informer = TestJobs.informOnTrainerJobs(client, new ResourceEventHandler<>() {
            @Override
            public void onAdd(Job job) {
                maybeStart(job);
            }

            @Override
            public void onUpdate(Job old, Job job) {
                maybeStart(job);
            }

            @Override
            public void onDelete(Job job, boolean unknown) {
                executor.submit(() -> deleted(job));
            }
        });
        return this;
    }

    /** Whether a trainer process of the FineTuneJob's current Job runs. */
    public boolean isRunning(String namespace, String ftj) {
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(ResourceNames.trainer(ftj))
                .get();
        Process p = job == null ? null : processes.get(job.getMetadata().getUid());
        return p != null && p.isAlive();
    }

    /** SIGKILL: the trainer dies without a checkpoint (exit 137, a failure). */
    public void crash(String namespace, String ftj) {
        process(namespace, ftj).destroyForcibly();
    }

    /** SIGTERM, as when a node is drained: the trainer checkpoints and exits 75. */
    public void preempt(String namespace, String ftj) {
        process(namespace, ftj).destroy();
    }

    /** The last lines each trainer process of the FineTuneJob wrote, for failure messages. */
    public String logs(String ftj) {
        StringBuilder out = new StringBuilder();
        try (var dirs = Files.list(root.resolve("pods"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(ResourceNames.trainer(ftj) + "-"))
                    .toList()) {
                List<String> lines = Files.readAllLines(dir.resolve("trainer.log"));
                out.append("\n--- ")
                        .append(dir.getFileName())
                        .append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException e) {
            out.append(e);
        }
        return out.toString();
    }

    private Process process(String namespace, String ftj) {
        Job job = client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(ResourceNames.trainer(ftj))
                .get();
        Process p = job == null ? null : processes.get(job.getMetadata().getUid());
        if (p == null) {
            throw new IllegalStateException("no trainer runs for " + namespace + "/" + ftj);
        }
        return p;
    }

    private void maybeStart(Job job) {
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())
                || !started.add(job.getMetadata().getUid())) {
            return;
        }
        executor.submit(() -> run(job));
    }

    private void run(Job job) {
        String ns = job.getMetadata().getNamespace();
        String ftj = job.getMetadata().getLabels().get(ResourceNames.LABEL_JOB);
        synchronized (jobLocks.computeIfAbsent(ns + "/" + ftj, k -> new Object())) {
            try {
                Pod pod = createPod(job);
                Path dir = Files.createDirectories(
                        root.resolve("pods").resolve(pod.getMetadata().getName()));
                int port = trainerPort != 0 ? trainerPort : Ports.free();
                Process process = startTrainer(ns, ftj, dir, port);
                processes.put(job.getMetadata().getUid(), process);
                LocalTrainerAddresses.register(ns, ftj, port);
                podStatus(pod, "Running", null, null);
                int exit = process.waitFor();
                podStatus(pod, exit == 0 ? "Succeeded" : "Failed", exit, terminationMessage(pod, dir, exit));
                jobFinished(job, exit == 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Pod createPod(Job job) {
        String suffix = Long.toString(System.nanoTime() % 100_000, 36);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + suffix)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .withCreationTimestamp(
                        Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("batch/v1")
                        .withKind("Job")
                        .withName(job.getMetadata().getName())
                        .withUid(job.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        return client.pods().resource(pod).create();
    }

    private Process startTrainer(String ns, String ftj, Path dir, int port) throws IOException {
        String manifest = client.configMaps()
                .inNamespace(ns)
                .withName(ResourceNames.specConfigMap(ftj))
                .get()
                .getData()
                .get(TrainerManifest.FILE_NAME)
                .replace(ClaimPaths.ROOT + "/", root.resolve("pvc") + "/");
        Path jobFile = Files.writeString(dir.resolve(TrainerManifest.FILE_NAME), manifest);
        String token = AuthSecretDependent.token(client.secrets()
                .inNamespace(ns)
                .withName(ResourceNames.authSecret(ftj))
                .get());
        Path tokenFile = Files.writeString(dir.resolve("token"), token);
        List<String> command = trainerCommand(
                List.of(
                        "-Dquarkus.http.port=" + port,
                        "-Dquarkus.http.host=" + (trainerHost == null ? "0.0.0.0" : trainerHost.apply(ns, ftj))),
                List.of("serve", "--job", jobFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("trainer.log").toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("DFTUNE_AUTH_TOKEN_FILE", tokenFile.toString());
        builder.environment().put("DFTUNE_STOP_GRACE_PERIOD", "30s");
        // The kubelet mounts a file at the container's terminationMessagePath; the pod's folder stands in for it.
        builder.environment()
                .put(
                        "DFTUNE_TERMINATION_MESSAGE_PATH",
                        dir.resolve(TERMINATION_LOG).toString());
        return builder.start();
    }

    /** What the kubelet keeps: the file, at most 4096 bytes; else for a failure under FallbackToLogsOnError the log's end. */
    private static String terminationMessage(Pod pod, Path dir, int exit) throws IOException {
        Path file = dir.resolve(TERMINATION_LOG);
        String message = Files.isRegularFile(file) ? Files.readString(file) : "";
        if (!message.isEmpty()) {
            return message.length() > 4096 ? message.substring(0, 4096) : message;
        }
        boolean fallback = pod.getSpec().getContainers().stream()
                .anyMatch(c -> "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy()));
        if (exit == 0 || !fallback) {
            return null;
        }
        List<String> lines = Files.readAllLines(dir.resolve("trainer.log"));
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        return tail.length() > 2048 ? tail.substring(tail.length() - 2048) : tail;
    }

    private void podStatus(Pod pod, String phase, Integer exitCode, String message) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .editStatus(p -> new PodBuilder(p)
                            .editStatus()
                            .withPhase(phase)
                            .withContainerStatuses(
                                    exitCode == null
                                            ? new ContainerStatusBuilder()
                                                    .withName("trainer")
                                                    .withReady(true)
                                                    .withNewState()
                                                    .withNewRunning()
                                                    .endRunning()
                                                    .endState()
                                                    .build()
                                            : new ContainerStatusBuilder()
                                                    .withName("trainer")
                                                    .withReady(false)
                                                    .withNewState()
                                                    .withNewTerminated()
                                                    .withExitCode(exitCode)
                                                    .withReason(exitCode == 0 ? "Completed" : "Error")
                                                    .withMessage(message)
                                                    .endTerminated()
                                                    .endState()
                                                    .build())
                            .endStatus()
                            .build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // the pod is gone already
        }
    }

    private void jobFinished(Job job, boolean succeeded) {
        try {
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName())
                    .editStatus(j -> {
                        if (!j.getMetadata().getUid().equals(job.getMetadata().getUid())) {
                            return j; // a newer Job of the same name
                        }
                        if (j.getStatus() == null) {
                            j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                        }
                        j.getStatus()
                                .setConditions(List.of(new JobConditionBuilder()
                                        .withType(succeeded ? "Complete" : "Failed")
                                        .withStatus("True")
                                        .withReason(succeeded ? "Completed" : "BackoffLimitExceeded")
                                        .build()));
                        j.getStatus().setSucceeded(succeeded ? 1 : 0);
                        j.getStatus().setFailed(succeeded ? 0 : 1);
                        return j;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // the Job was deleted meanwhile
        }
    }

    private void deleted(Job job) {
        Process process = processes.remove(job.getMetadata().getUid());
        try {
            if (process != null) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The garbage collector removes the Job's pods.
        for (Pod pod : client.pods()
                .inNamespace(job.getMetadata().getNamespace())
                .withLabel(
                        ResourceNames.LABEL_JOB, job.getMetadata().getLabels().get(ResourceNames.LABEL_JOB))
                .list()
                .getItems()) {
            if (pod.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(job.getMetadata().getUid()))) {
                client.pods().resource(pod).delete();
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        processes.values().forEach(Process::destroyForcibly);
        for (Process p : processes.values()) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
    }
}
