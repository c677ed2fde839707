package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.Phase;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.testing.FakeKubelet;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dftune compare --cluster} (the packaged CLI, as a user runs it) against the mock API server,
 * with this operator turning its FineTuneJobs into trainer Jobs and {@link FakeKubelet} running real
 * trainers: its tables equal those of the local {@code compare} of the same experiment, it keeps
 * to {@code --parallel}, and a second invocation creates nothing.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class CompareOnClusterTest {
    private static final String EXPERIMENT =
            """
            name: cmp
            job: job.yaml
            validation: %1$s/eval.jsonl
            learningRates: [1.0e-3, 3.0e-2]
            seeds: [1, 2]
            arms:
              - name: sft
                objective: {type: sft}
              - name: dft
                objective: {type: dft}
            tests:
              validation: %1$s/eval.jsonl
            output: %2$s
            """;

    @Inject
    @TestClient
    KubernetesClient client;

    @TempDir
    Path dir;

    private FakeKubelet kubelet;

    @AfterEach
    void stopKubelet() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
    }

    @Test
    void theClusterGivesTheLocalTablesKeepsToItsParallelismAndResumesWithoutNewJobs() throws Exception {
        kubelet = new FakeKubelet(client, dir.resolve("cluster")).start();
        TestJobs.writeModel(kubelet);
        Path models = kubelet.claim(TestJobs.MODELS);
        Path runs = kubelet.claim(TestJobs.RUNS);
        // Two samples per prompt: the status must carry avg@k for the cluster's tables to show it.
        Files.writeString(
                dir.resolve("job.yaml"),
                TestJobs.manifest("template", 6, 0)
                        .replace("eval: {maxNewTokens: 4}", "eval: {maxNewTokens: 4, samples: 2}"));
        Path local = Files.writeString(dir.resolve("local.yaml"), EXPERIMENT.formatted(models, "local-out"));
        Path cluster = Files.writeString(dir.resolve("cluster.yaml"), EXPERIMENT.formatted(models, "cluster-out"));
        List<String> volumes = List.of("--volume", "models=" + models, "--volume", "runs=" + runs);

        AtomicInteger mostUnfinished = new AtomicInteger();
        SharedIndexInformer<FineTuneJob> informer = countUnfinished(mostUnfinished);
        try {
            String first = dftune(cluster, volumes, "--cluster", "--namespace", TestJobs.NAMESPACE, "--parallel", "2");
            assertThat(first).contains("created cmp-sft-lr0-s1", "created cmp-dft-lr1-s1");
        } finally {
            informer.close();
        }
        assertThat(mostUnfinished.get()).as("unfinished jobs at once").isBetween(1, 2);
        Map<String, String> uids = jobUids();
        assertThat(uids).hasSize(6); // 2 arms x (2 rates + 1 more seed)
        FineTuneJob job = client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withName("cmp-dft-lr1-s1")
                .get();
        assertThat(job.getMetadata().getLabels())
                .containsEntry("dftune.io/experiment", "cmp")
                .containsEntry("dftune.io/arm", "dft")
                .containsEntry("dftune.io/learning-rate-index", "1")
                .containsEntry("dftune.io/seed", "1");
        assertThat(job.getSpec().getData().getEval()).isEqualTo("pvc://models/eval.jsonl");
        assertThat(job.getSpec().getOutput().getPath()).isEqualTo("pvc://runs/template/runs/dft/lr-0.03/seed-1");
        assertThat(job.getStatus().phase).isEqualTo(Phase.Succeeded);

        dftune(local, volumes);
        assertThat(tables(dir.resolve("cluster-out/results.md")))
                .isEqualTo(tables(dir.resolve("local-out/results.md")))
                .contains("| base model |", "| sft |", "| dft |", "validation avg@2");
        assertThat(dir.resolve("cluster-out/curves.png")).isNotEmptyFile();

        String again = dftune(cluster, volumes, "--cluster", "--namespace", TestJobs.NAMESPACE);
        assertThat(again).doesNotContain("created ");
        assertThat(jobUids()).isEqualTo(uids);
    }

    /** The table lines of a results.md (its title names the experiment file, its notes the place). */
    private static String tables(Path resultsMd) throws Exception {
        return Files.readAllLines(resultsMd).stream()
                .filter(line -> line.startsWith("|"))
                .collect(Collectors.joining("\n"));
    }

    private Map<String, String> jobUids() {
        return client
                .resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withLabel("dftune.io/experiment", "cmp")
                .list()
                .getItems()
                .stream()
                .collect(Collectors.toMap(
                        j -> j.getMetadata().getName(), j -> j.getMetadata().getUid()));
    }

    private String statuses() {
        return client.resources(FineTuneJob.class).inNamespace(TestJobs.NAMESPACE).list().getItems().stream()
                .map(j -> j.getMetadata().getName() + ": "
                        + client.getKubernetesSerialization().asJson(j.getStatus()))
                .collect(Collectors.joining("\n"));
    }

    private String trainerLogs() {
        return client.resources(FineTuneJob.class).inNamespace(TestJobs.NAMESPACE).list().getItems().stream()
                .map(j -> kubelet.logs(j.getMetadata().getName()))
                .collect(Collectors.joining("\n"));
    }

    /** Follows the experiment's jobs and keeps the most that were unfinished at once. */
    private SharedIndexInformer<FineTuneJob> countUnfinished(AtomicInteger most) {
        Map<String, Boolean> finished = new ConcurrentHashMap<>();
        Runnable count = () -> most.accumulateAndGet(
                (int) finished.values().stream().filter(f -> !f).count(), Math::max);
        return client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withLabel("dftune.io/experiment", "cmp")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(FineTuneJob job) {
                        onUpdate(null, job);
                    }

                    @Override
                    public void onUpdate(FineTuneJob old, FineTuneJob job) {
                        finished.put(
                                job.getMetadata().getName(),
                                job.getStatus() != null && job.getStatus().phase == Phase.Succeeded);
                        count.run();
                    }

                    @Override
                    public void onDelete(FineTuneJob job, boolean unknown) {}
                });
    }

    /** Runs the packaged CLI with the trainers' settings; its output, after asserting it succeeded. */
    private String dftune(Path experiment, List<String> volumes, String... options) throws Exception {
        Path kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"),
                """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: test, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: test, namespace: %s}}]
                current-context: mock
                """
                        .formatted(client.getConfiguration().getMasterUrl(), TestJobs.NAMESPACE));
        List<String> args = new ArrayList<>(List.of("compare", experiment.toString(), "--poll-seconds", "0.3"));
        args.addAll(volumes);
        args.addAll(List.of(options));
        List<String> command = FakeKubelet.trainerCommand(List.of(), args);
        Path log = dir.resolve("compare-" + System.nanoTime() + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        Process process = builder.start();
        boolean done = process.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done && process.exitValue() == 0)
                .as("dftune compare:%n%s%nFineTuneJobs:%n%s%ntrainers:%s", output, statuses(), trainerLogs())
                .isTrue();
        return output;
    }
}
