package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.dependent.AuthSecretDependent;
import io.dftune.operator.metrics.OperatorMetrics;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.status.Conditions;
import io.dftune.operator.status.Lifecycle;
import io.dftune.operator.testing.FakeKubelet;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.dftune.operator.watch.RunWatchers;
import io.dftune.spec.DataSpec;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.OutputDtype;
import io.dftune.spec.OutputSpec;
import io.dftune.spec.ResourcesSpec;
import io.dftune.spec.TolerationSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FineTuneJobs through their life against Fabric8's mock API server, with {@link FakeKubelet}
 * running each trainer pod as a real trainer process on the tiny model.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class LifecycleTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static FakeKubelet kubelet;
    private static Path root;

    @Inject
    @TestClient
    KubernetesClient client;

    @Inject
    RunWatchers watchers;

    @TestHTTPResource("/q/metrics")
    URI metricsUri;

    private TestJobs jobs;

    @BeforeEach
    void cluster() throws Exception {
        if (kubelet == null) {
            assertThat(FakeKubelet.trainerJar())
                    .as("the packaged trainer (mvn package)")
                    .isRegularFile();
            root = Files.createTempDirectory("dftune-operator-test");
            kubelet = new FakeKubelet(client, root).start();
            TestJobs.writeModel(kubelet);
        }
        jobs = new TestJobs(client);
    }

    @AfterAll
    static void stopKubelet() throws Exception {
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private FineTuneJobStatus awaitPhase(String name, Phase phase) {
        await().atMost(RUN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(jobs.status(name).phase)
                .as(name + " " + describe(name))
                .isEqualTo(phase));
        return jobs.status(name);
    }

    private String describe(String name) {
        FineTuneJobStatus s = jobs.status(name);
        return s.phase + "/" + s.reason + ": " + s.message + " progress " + (s.progress == null ? "-" : s.progress.step)
                + kubelet.logs(name);
    }

    private static Condition condition(FineTuneJobStatus status, String type) {
        return Conditions.find(status.conditions, type);
    }

    @Test
    void aFineTuneJobBecomesASpecConfigMapATokenSecretAServiceAndATrainerJob() {
        FineTuneJob ftj = jobs.parse(TestJobs.manifest("objects", 40, 0));
        ResourcesSpec resources = new ResourcesSpec();
        resources.setGpus(1);
        resources.setCpu("2");
        resources.setMemory("4Gi");
        ftj.getSpec().setResources(resources);
        ftj.getSpec().setNodeSelector(Map.of("pool", "gpu"));
        TolerationSpec toleration = new TolerationSpec();
        toleration.setKey("nvidia.com/gpu");
        toleration.setOperator(TolerationSpec.Operator.EXISTS);
        toleration.setEffect(TolerationSpec.Effect.NO_SCHEDULE);
        ftj.getSpec().setTolerations(List.of(toleration));
        ftj.getSpec().setPriorityClassName("training");
        ftj.getSpec().getOutput().setDtype(OutputDtype.BFLOAT16);
        ftj.getSpec().getOutput().setMaxShardSize("700MB");
        ftj.getSpec().getData().setColumns(Map.of("prompt", "problem", "response", "solution"));
        ftj.getSpec().getData().setMaxExamples(100);
        // Queued: Kueue would admit the Job; here it stays suspended and no trainer starts.
        ftj.getSpec().setQueueName("team-a");
        FineTuneJob created = jobs.create(ftj);

        await().atMost(RUN).until(() -> jobs.trainerJob("objects").isPresent());
        Job job = jobs.trainerJob("objects").orElseThrow();
        for (HasMetadata owned :
                List.of(job, jobs.configMap("objects"), jobs.secret("objects"), jobs.service("objects"))) {
            OwnerReference owner = owned.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getUid())
                    .as(owned.getKind())
                    .isEqualTo(created.getMetadata().getUid());
            assertThat(owner.getKind()).isEqualTo("FineTuneJob");
            // Blocking the owner's deletion would need update on finetunejobs/finalizers.
            assertThat(owner.getBlockOwnerDeletion()).as("blockOwnerDeletion").isNotEqualTo(Boolean.TRUE);
            assertThat(owned.getMetadata().getLabels()).containsAllEntriesOf(ResourceNames.labels("objects"));
        }

        // The job file: claims mounted under /mnt/pvc, a valid manifest for the trainer.
        String jobYaml = jobs.configMap("objects").getData().get("job.yaml");
        assertThat(jobYaml)
                .contains("/mnt/pvc/models/model", "/mnt/pvc/models/train.jsonl", "/mnt/pvc/runs/objects")
                .doesNotContain("pvc://", "queueName");
        assertThat(FineTuneJobFiles.parse(jobYaml, Path.of("/"))
                        .getSpec()
                        .getTraining()
                        .getMaxSteps())
                .isEqualTo(40);
        OutputSpec output =
                FineTuneJobFiles.parse(jobYaml, Path.of("/")).getSpec().getOutput();
        assertThat(output.getDtype()).isEqualTo(OutputDtype.BFLOAT16);
        assertThat(output.getMaxShardSize()).isEqualTo("700MB");
        DataSpec data = FineTuneJobFiles.parse(jobYaml, Path.of("/")).getSpec().getData();
        assertThat(data.getColumns()).containsOnly(Map.entry("prompt", "problem"), Map.entry("response", "solution"));
        assertThat(data.getMaxExamples()).isEqualTo(100);

        assertThat(AuthSecretDependent.token(jobs.secret("objects"))).hasSizeGreaterThan(40);

        var service = jobs.service("objects").getSpec();
        assertThat(service.getSelector())
                .containsEntry("dftune.io/job", "objects")
                .containsEntry("app.kubernetes.io/name", "dftune-trainer");
        assertThat(service.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });

        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");
        assertThat(job.getSpec().getSuspend()).as("created suspended for Kueue").isTrue();
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ResourceNames.labels("objects"));
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(150L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getNodeSelector()).containsEntry("pool", "gpu");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("training");
        Container trainer = pod.getContainers().get(0);
        assertThat(trainer.getImage()).isEqualTo("dftune-trainer:latest");
        assertThat(trainer.getArgs()).containsExactly("serve");
        assertThat(trainer.getCommand()).isEmpty();
        assertThat(trainer.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(trainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(trainer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(trainer.getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .contains(
                        "DFTUNE_JOB_FILE=/etc/dftune/job/job.yaml",
                        "DFTUNE_AUTH_TOKEN_FILE=/etc/dftune/auth/token",
                        "DJL_OFFLINE=true",
                        "DJL_CACHE_DIR=/opt/djl",
                        "ENGINE_CACHE_DIR=/opt/djl",
                        "DFTUNE_TERMINATION_MESSAGE_PATH=/dev/termination-log");
        assertThat(trainer.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(trainer.getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("4Gi"));
        assertThat(trainer.getVolumeMounts())
                .extracting(m -> m.getMountPath() + ":" + m.getReadOnly())
                .contains(
                        "/etc/dftune/job:true",
                        "/etc/dftune/auth:true",
                        "/tmp:null",
                        "/mnt/pvc/models:true",
                        "/mnt/pvc/runs:false");
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName() + ":"
                        + v.getPersistentVolumeClaim().getReadOnly())
                .containsExactly("models:true", "runs:false");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getEmptyDir() != null).hasSize(1);

        FineTuneJobStatus status = awaitPhase("objects", Phase.Pending);
        await().atMost(RUN).until(() -> Lifecycle.QUEUED.equals(jobs.status("objects").reason));
        status = jobs.status("objects");
        assertThat(status.observedGeneration).isEqualTo(created.getMetadata().getGeneration());
        assertThat(condition(status, Conditions.SPEC_VALID).getStatus()).isEqualTo("True");
        assertThat(condition(status, Conditions.RUNNING).getStatus()).isEqualTo("False");
        await().atMost(RUN).untilAsserted(() -> assertThat(jobs.events("objects"))
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo(Lifecycle.QUEUED)));
    }

    @Test
    void aSpecConfigMapOrServiceChangedByHandIsPutBack() {
        FineTuneJob ftj = jobs.parse(TestJobs.manifest("drift", 10, 0));
        // Queued: the trainer Job stays suspended, so no trainer runs.
        ftj.getSpec().setQueueName("team-a");
        jobs.create(ftj);
        await().atMost(RUN).until(() -> jobs.configMap("drift") != null && jobs.service("drift") != null);
        Map<String, String> data = jobs.configMap("drift").getData();
        Map<String, String> selector = jobs.service("drift").getSpec().getSelector();

        client.configMaps()
                .inNamespace(TestJobs.NAMESPACE)
                .withName(ResourceNames.specConfigMap("drift"))
                .edit(c -> new ConfigMapBuilder(c)
                        .withData(Map.of("job.yaml", "edited"))
                        .build());
        client.services()
                .inNamespace(TestJobs.NAMESPACE)
                .withName(ResourceNames.trainer("drift"))
                .edit(s -> new ServiceBuilder(s)
                        .editSpec()
                        .withSelector(Map.of("app", "other"))
                        .endSpec()
                        .build());

        await().atMost(RUN).untilAsserted(() -> {
            assertThat(jobs.configMap("drift").getData()).isEqualTo(data);
            assertThat(jobs.service("drift").getSpec().getSelector()).isEqualTo(selector);
        });
    }

    @Test
    void progressReachesTheStatusWhileTrainingAndTheJobSucceeds() throws Exception {
        Set<Long> stepsSeen = ConcurrentHashMap.newKeySet();
        try (Watch watch = client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withName("success")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, FineTuneJob job) {
                        if (job.getStatus() != null && job.getStatus().progress != null) {
                            stepsSeen.add(job.getStatus().progress.step);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            jobs.create(jobs.parse(TestJobs.manifest("success", 500, 200)));
            awaitPhase("success", Phase.Running);
            FineTuneJobStatus done = awaitPhase("success", Phase.Succeeded);

            assertThat(stepsSeen).as("progress written while training").anyMatch(step -> step > 0 && step < 500);
            assertThat(done.progress.step).isEqualTo(500);
            assertThat(done.progress.totalSteps).isEqualTo(500);
            assertThat(done.progress.percent).isEqualTo(100);
            assertThat(done.metrics.loss).isPositive();
            assertThat(done.metrics.nll).isPositive();
            assertThat(done.metrics.meanTargetProb).isBetween(0.0, 1.0);
            assertThat(done.metrics.tokensPerSecond).isPositive();
            assertThat(done.metrics.eval).isNotNull();
            assertThat(done.checkpoint.step).as("the final checkpoint").isEqualTo(500);
            assertThat(done.trainerPhase).isEqualTo("SUCCEEDED");
            assertThat(done.startTime).isNotNull();
            assertThat(done.completionTime).isNotNull();
            assertThat(done.finalModel).isEqualTo("pvc://runs/success/final");
            assertThat(done.restarts).isZero();
            assertThat(done.memoryPlan.fits).isTrue();
            assertThat(done.memoryPlan.peakBytes).isPositive().isLessThan(done.memoryPlan.availableBytes);
            assertThat(done.memoryPlan.summary).startsWith("memory plan: peak ");
            assertThat(condition(done, Conditions.COMPLETE).getStatus()).isEqualTo("True");
            assertThat(condition(done, Conditions.RUNNING).getStatus()).isEqualTo("False");
            assertThat(kubelet.claim("runs").resolve("success/final/model.safetensors"))
                    .isRegularFile();
        }
        assertThat(jobs.events("success"))
                .extracting(e -> e.getReason())
                .contains(Lifecycle.TRAINING, Lifecycle.SUCCEEDED);
        await().atMost(RUN).until(() -> !watchers.isWatching(new ResourceID("success", TestJobs.NAMESPACE)));
    }

    @Test
    void aCrashAndAPreemptionBothResumeFromTheCheckpointAndOnlyTheCrashCountsAsAFailure() throws Exception {
        jobs.create(jobs.parse(TestJobs.manifest("crash", 2000, 50)));
        await().atMost(RUN).until(() -> jobs.status("crash").checkpoint != null);
        kubelet.crash(TestJobs.NAMESPACE, "crash");
        await().atMost(RUN).until(() -> jobs.status("crash").restarts == 1);
        assertThat(jobs.status("crash").failures).isEqualTo(1);

        await().atMost(RUN)
                .until(() -> jobs.status("crash").phase == Phase.Running
                        && jobs.status("crash").resumedFromStep != null
                        && jobs.status("crash").resumedFromStep > 0);
        assertThat(jobs.trainerJob("crash").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(ResourceNames.ANNOTATION_ATTEMPT, "1");
        long resumedFrom = jobs.status("crash").resumedFromStep;
        await().atMost(RUN).until(() -> jobs.status("crash").checkpoint.step > resumedFrom);

        kubelet.preempt(TestJobs.NAMESPACE, "crash");
        await().atMost(RUN).until(() -> jobs.status("crash").restarts == 2);
        FineTuneJobStatus done = awaitPhase("crash", Phase.Succeeded);
        assertThat(done.failures).as("a preemption is no failure").isEqualTo(1);
        assertThat(done.restarts).isEqualTo(2);
        assertThat(done.resumedFromStep).isGreaterThan(resumedFrom);
        assertThat(jobs.events("crash"))
                .extracting(e -> e.getReason() + "/" + e.getType())
                .contains(Lifecycle.TRAINER_FAILED + "/Warning", Lifecycle.PREEMPTED + "/Warning");
        assertThat(scrape()).contains(OperatorMetrics.PROMETHEUS_RESTARTS + "{job=\"crash\",namespace=\"tests\"} 2.0");
    }

    @Test
    void aRunWhoseMemoryPlanDoesNotFitFailsAtOnceWithoutRetries() {
        // A million tokens per example: the attention probabilities alone would need terabytes.
        FineTuneJob ftj = jobs.parse(TestJobs.manifest("huge", 20, 0).replace("maxLength: 64", "maxLength: 1048576"));
        ftj.getSpec().setBackoffLimit(3);
        jobs.create(ftj);
        FineTuneJobStatus failed = awaitPhase("huge", Phase.Failed);
        assertThat(failed.reason).isEqualTo(Lifecycle.DOES_NOT_FIT);
        assertThat(failed.message).contains("does not fit");
        assertThat(failed.failures).as("not counted as a failure to retry").isZero();
        assertThat(failed.restarts).isZero();
        assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Lifecycle.DOES_NOT_FIT);
        assertThat(jobs.trainerJob("huge").orElseThrow().getMetadata().getAnnotations())
                .as("one attempt only")
                .containsEntry(ResourceNames.ANNOTATION_ATTEMPT, "0");
        assertThat(jobs.events("huge"))
                .filteredOn(e -> Lifecycle.DOES_NOT_FIT.equals(e.getReason()))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void aTrainerThatKeepsFailingExhaustsTheBackoffLimit() {

        FineTuneJob ftj = jobs.parse(
                TestJobs.manifest("broken", 20, 0).replace("pvc://models/model", "pvc://models/no-such-model"));
        ftj.getSpec().setBackoffLimit(1);
        jobs.create(ftj);
        FineTuneJobStatus failed = awaitPhase("broken", Phase.Failed);
        assertThat(failed.reason).isEqualTo(Lifecycle.BACKOFF_LIMIT_EXCEEDED);
        assertThat(failed.message).contains("failed 2 times", "backoffLimit 1", "exited with code 1");
        assertThat(failed.failures).isEqualTo(2);
        assertThat(failed.restarts).isEqualTo(1);
        assertThat(failed.completionTime).isNotNull();
        assertThat(condition(failed, Conditions.FAILED).getReason()).isEqualTo(Lifecycle.BACKOFF_LIMIT_EXCEEDED);
        // The last attempt's Job stays (for its pod's logs), and no further one is made.
        assertThat(jobs.trainerJob("broken").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(ResourceNames.ANNOTATION_ATTEMPT, "1");
    }

    @Test
    void suspendStopsThePodAfterACheckpointAndResumeContinuesFromIt() {
        jobs.create(jobs.parse(TestJobs.manifest("pause", 3000, 0)));
        await().atMost(RUN)
                .until(() -> jobs.status("pause").phase == Phase.Running
                        && jobs.status("pause").progress != null
                        && jobs.status("pause").progress.step > 10);

        jobs.setSuspend("pause", true);
        awaitPhase("pause", Phase.Suspended);
        await().atMost(RUN)
                .until(() ->
                        jobs.trainerJob("pause").isEmpty() && jobs.pods("pause").isEmpty());
        assertThat(kubelet.claim("runs").resolve("pause/checkpoints")).isDirectoryContaining("glob:**/step-*");
        assertThat(jobs.configMap("pause")).as("everything but the pod stays").isNotNull();
        FineTuneJobStatus suspended = jobs.status("pause");
        assertThat(condition(suspended, Conditions.SUSPENDED).getStatus()).isEqualTo("True");
        assertThat(suspended.restarts).isZero();

        jobs.setSuspend("pause", false);
        await().atMost(RUN)
                .until(() -> jobs.status("pause").phase == Phase.Running
                        && jobs.status("pause").resumedFromStep != null
                        && jobs.status("pause").resumedFromStep > 0);
        assertThat(jobs.status("pause").failures).isZero();
        jobs.setSuspend("pause", true);
        await().atMost(RUN).until(() -> jobs.pods("pause").isEmpty());
    }

    @Test
    void aJobPastItsActiveDeadlineFailsAndItsPodIsStopped() {
        FineTuneJob ftj = jobs.parse(TestJobs.manifest("deadline", 100_000, 0));
        // long enough for the trainer to start and train a step on a loaded machine: it then checkpoints
        ftj.getSpec().setActiveDeadlineSeconds(15L);
        jobs.create(ftj);
        awaitPhase("deadline", Phase.Running);
        FineTuneJobStatus failed = awaitPhase("deadline", Phase.Failed);
        assertThat(failed.reason).isEqualTo(Lifecycle.DEADLINE_EXCEEDED);
        assertThat(java.time.Duration.between(
                                java.time.Instant.parse(failed.startTime),
                                java.time.Instant.parse(failed.completionTime))
                        .toSeconds())
                .as("stopped soon after the deadline")
                .isBetween(15L, 45L);

        await().atMost(RUN)
                .until(() -> jobs.trainerJob("deadline").isEmpty()
                        && jobs.pods("deadline").isEmpty());
        assertThat(kubelet.claim("runs").resolve("deadline/checkpoints")).isDirectoryContaining("glob:**/step-*");
    }

    @Test
    void aFinishedJobIsDeletedAfterItsTtl() {
        FineTuneJob ftj = jobs.parse(TestJobs.manifest("ttl", 10, 0));
        ftj.getSpec().setTtlSecondsAfterFinished(2);
        jobs.create(ftj);
        awaitPhase("ttl", Phase.Succeeded);
        assertThat(jobs.get("ttl")).as("kept during the TTL").isNotNull();
        await().atMost(RUN).until(() -> jobs.get("ttl") == null);
        assertThat(watchers.snapshot(new ResourceID("ttl", TestJobs.NAMESPACE)))
                .as("forgotten")
                .isEmpty();
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
