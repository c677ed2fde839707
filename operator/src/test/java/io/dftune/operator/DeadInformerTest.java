package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.health.InformersLive;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
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
 * An informer that stops for good (here the operator's pod informer, on a pod it cannot read)
 * makes the operator not live, so Kubernetes restarts it; until then it is live.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class DeadInformerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    @TestClient
    KubernetesClient client;

    @TestHTTPResource("/q/health/live")
    URI live;

    private HttpResponse<String> liveness() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anInformerThatStopsForGoodMakesTheOperatorNotLive() throws Exception {
        TestJobs jobs = new TestJobs(client);
        jobs.create(jobs.parse(TestJobs.manifest("alive", 10, 0)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.trainerJob("alive").isPresent());
        HttpResponse<String> before = liveness();
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(before.body()).contains(InformersLive.NAME);

        // A pod of the operator's label that Fabric8's Pod type cannot hold: its informer stops.
        jobs.createUnreadablePod();

        await().atMost(Duration.ofSeconds(30)).until(() -> liveness().statusCode() == 503);
        assertThat(liveness().body()).contains("\"" + InformersLive.NAME + "\"").contains("Pod informer");
    }
}
