package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.testing.ClusterObjects;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A new trainer Job for a job that ran before waits for every trainer pod the API server still has, also one the
 * operator's cache never showed (a lagging watch): two trainers must never write one output directory.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class UnseenTrainerPodTest {
    private static final String NAME = ClusterObjects.NAME; // the name ClusterObjects labels pods with

    @Inject
    @TestClient
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URI live;

    @Test
    void aResumedJobWaitsForAnEarlierPodItsCacheNeverShowed() {
        TestJobs jobs = new TestJobs(client);
        jobs.create(jobs.parse(TestJobs.manifest(NAME, 10, 0)));
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.trainerJob(NAME).isPresent());
        Job first = jobs.trainerJob(NAME).get();

        // From now on the operator's pod cache shows no new pod (a watch that lags, for good).
        jobs.createUnreadablePod();
        await().atMost(Duration.ofSeconds(30)).until(() -> liveness() == 503);
        Pod earlier =
                client.pods().resource(ClusterObjects.pod(first, "Running")).create();
        jobs.setSuspend(NAME, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.trainerJob(NAME).isEmpty());

        jobs.setSuspend(NAME, false);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> jobs.trainerJob(NAME)
                .isEmpty());

        client.pods().resource(earlier).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.trainerJob(NAME).isPresent());
        assertThat(jobs.trainerJob(NAME).get().getMetadata().getUid())
                .isNotEqualTo(first.getMetadata().getUid());
    }

    private int liveness() throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
