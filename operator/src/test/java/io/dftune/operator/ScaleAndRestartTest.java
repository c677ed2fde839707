package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.Phase;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.config.OperatorConfig;
import io.dftune.operator.dependent.AuthSecretDependent;
import io.dftune.operator.metrics.OperatorMetrics;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.dftune.operator.watch.ConfiguredTrainerAddresses;
import io.dftune.operator.watch.RunWatchers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 200 FineTuneJobs at once are all reconciled; then the operator is stopped and a new one (a new
 * reconciler, new caches, as after a restart) reconciles them all again without making a second
 * object of any kind, a new token or a restart.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class ScaleAndRestartTest {
    private static final int JOBS = 200;

    @Inject
    @TestClient
    KubernetesClient client;

    /** The operator's own client, for the restarted operator. */
    @Inject
    KubernetesClient operatorClient;

    @Inject
    Operator operator;

    @Inject
    OperatorConfig config;

    @TestHTTPResource("/q/metrics")
    URI metricsUri;

    @Test
    void twoHundredJobsAreAllReconciledAndARestartedOperatorMakesNoDuplicates() throws Exception {
        TestJobs jobs = new TestJobs(client);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = IntStream.range(0, JOBS)
                    .mapToObj(i -> pool.submit(() -> jobs.create(jobs.parse(TestJobs.manifest("job-" + i, 10, 0)))))
                    .collect(Collectors.toList());
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> owned().values().stream().allMatch(n -> n == JOBS) && allPending());
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.printf(
                "%d FineTuneJobs reconciled (status, ConfigMap, Secret, Service, Job) in %d ms%n", JOBS, millis);

        String metrics = scrape();
        assertThat(metrics)
                .contains(
                        OperatorMetrics.PROMETHEUS_FINETUNEJOBS + "{phase=\"Pending\"} 200.0",
                        OperatorMetrics.PROMETHEUS_FINETUNEJOBS + "{phase=\"Running\"} 0.0",
                        OperatorMetrics.PROMETHEUS_RECONCILIATIONS + "{result=\"success\"}",
                        OperatorMetrics.PROMETHEUS_RECONCILIATIONS + "{result=\"error\"} 0.0");
        assertThat(metrics)
                .as("the Java Operator SDK's own metrics")
                .contains("reconciliations_started_total", "reconciliations_execution_duration_seconds_count");

        Map<String, String> jobUids = uids(client.batch()
                .v1()
                .jobs()
                .inNamespace(TestJobs.NAMESPACE)
                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                .list()
                .getItems());
        Map<String, String> tokens = client
                .secrets()
                .inNamespace(TestJobs.NAMESPACE)
                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                .list()
                .getItems()
                .stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), AuthSecretDependent::token));

        operator.stop();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Operator restarted = new Operator(o -> o.withKubernetesClient(operatorClient)
                .withCloseClientOnStop(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withUseSSAToPatchPrimaryResource(false));
        RunWatchers watchers = new RunWatchers(new ConfiguredTrainerAddresses(config), config);
        restarted.register(new FineTuneJobReconciler(watchers, new OperatorMetrics(registry), config));
        restarted.start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> registry.counter(
                                            OperatorMetrics.RECONCILIATIONS,
                                            OperatorMetrics.TAG_RESULT,
                                            OperatorMetrics.RESULT_SUCCESS)
                                    .count()
                            >= JOBS);
            // A little longer, for anything a late reconciliation might still (wrongly) make.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> owned().values().stream()
                    .allMatch(n -> n == JOBS));
        } finally {
            restarted.stop();
        }
        assertThat(uids(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(TestJobs.NAMESPACE)
                        .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                        .list()
                        .getItems()))
                .as("the same Jobs, none replaced")
                .isEqualTo(jobUids);
        assertThat(client
                        .secrets()
                        .inNamespace(TestJobs.NAMESPACE)
                        .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                        .list()
                        .getItems()
                        .stream()
                        .collect(Collectors.toMap(s -> s.getMetadata().getName(), AuthSecretDependent::token)))
                .as("the same tokens")
                .isEqualTo(tokens);
        assertThat(client.resources(FineTuneJob.class)
                        .inNamespace(TestJobs.NAMESPACE)
                        .list()
                        .getItems())
                .allSatisfy(j -> assertThat(j.getStatus().restarts).isZero());
        assertThat(registry.counter(
                                OperatorMetrics.RECONCILIATIONS,
                                OperatorMetrics.TAG_RESULT,
                                OperatorMetrics.RESULT_ERROR)
                        .count())
                .isZero();
    }

    private boolean allPending() {
        List<FineTuneJob> all = client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .list()
                .getItems();
        return all.size() == JOBS
                && all.stream()
                        .allMatch(j -> j.getStatus() != null
                                && j.getStatus().phase == Phase.Pending
                                && j.getStatus().observedGeneration != null);
    }

    /** How many of each owned kind exist. */
    private Map<String, Integer> owned() {
        String ns = TestJobs.NAMESPACE;
        return Map.of(
                "ConfigMap",
                        client.configMaps()
                                .inNamespace(ns)
                                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                                .list()
                                .getItems()
                                .size(),
                "Secret",
                        client.secrets()
                                .inNamespace(ns)
                                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                                .list()
                                .getItems()
                                .size(),
                "Service",
                        client.services()
                                .inNamespace(ns)
                                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                                .list()
                                .getItems()
                                .size(),
                "Job",
                        client.batch()
                                .v1()
                                .jobs()
                                .inNamespace(ns)
                                .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                                .list()
                                .getItems()
                                .size());
    }

    private static Map<String, String> uids(List<? extends HasMetadata> items) {
        return items.stream()
                .collect(Collectors.toMap(
                        i -> i.getMetadata().getName(), i -> i.getMetadata().getUid(), (a, b) -> a + "," + b));
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
