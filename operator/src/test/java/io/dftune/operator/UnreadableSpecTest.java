package io.dftune.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.status.Conditions;
import io.dftune.operator.status.Lifecycle;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * FineTuneJobs whose spec the Java types cannot hold, as they arrive from an API server with a
 * newer or looser CRD than this operator's: each gets SpecValid=False (reason InvalidSpec) and a
 * Warning Event naming the field and its value, and no objects; the FineTuneJobs after them are
 * reconciled as usual (before, the informer stopped at the first such object and the operator
 * reconciled nothing more); fixing one lets it start.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class UnreadableSpecTest {
    private static final ResourceDefinitionContext FINETUNEJOBS =
            ResourceDefinitionContext.fromResourceType(FineTuneJob.class);

    @Inject
    @TestClient
    KubernetesClient client;

    /** Creates the tiny job's manifest, changed by {@code edit}, as raw YAML the Java types need not hold. */
    private void createRaw(String name, UnaryOperator<String> edit) {
        String manifest = edit.apply(TestJobs.manifest(name, 10, 0));
        client.resource(client.getKubernetesSerialization().unmarshal(manifest, GenericKubernetesResource.class))
                .create();
    }

    private GenericKubernetesResource raw(String name) {
        return client.genericKubernetesResources(FINETUNEJOBS)
                .inNamespace(TestJobs.NAMESPACE)
                .withName(name)
                .get();
    }

    @Test
    void unreadableSpecsAreReportedByFieldAndValueAndTheOthersAreStillReconciled() {
        TestJobs jobs = new TestJobs(client);
        createRaw("bogus-objective", m -> m.replace("type: dft}", "type: bogus}"));
        createRaw("ten-steps", m -> m.replace("maxSteps: 10", "maxSteps: ten"));
        jobs.create(jobs.parse(TestJobs.manifest("after-them", 10, 0)));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.trainerJob("after-them").isPresent());
        assertUnreadable(
                jobs,
                "bogus-objective",
                "spec.objective.type: unknown value \"bogus\"; allowed: sft, dft, asft, prob-q, dft-power");
        assertUnreadable(jobs, "ten-steps", "spec.training.maxSteps: expected an integer, got \"ten\"");

        // The operator wrote the status and its finalizer, never the spec it could not read.
        GenericKubernetesResource stored = raw("bogus-objective");
        assertThat(((Map<?, ?>) ((Map<?, ?>) stored.getAdditionalProperties().get("spec")).get("objective"))
                        .get("type"))
                .isEqualTo("bogus");
        assertThat(stored.getMetadata().getFinalizers()).isNotEmpty();
    }

    private void assertUnreadable(TestJobs jobs, String name, String message) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.status(name).phase == Phase.Failed);
        FineTuneJobStatus status = jobs.status(name);
        assertThat(status.reason).isEqualTo(Lifecycle.INVALID_SPEC);
        assertThat(Conditions.find(status.conditions, Conditions.SPEC_VALID)).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(Lifecycle.INVALID_SPEC);
            assertThat(c.getMessage()).contains(message);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.events(name).stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && Lifecycle.INVALID_SPEC.equals(e.getReason())));
        Event event = jobs.events(name).stream()
                .filter(e -> Lifecycle.INVALID_SPEC.equals(e.getReason()))
                .findFirst()
                .orElseThrow();
        assertThat(event.getMessage()).contains(message);
        assertThat(jobs.trainerJob(name)).isEmpty();
        assertThat(jobs.configMap(name)).isNull();
        assertThat(jobs.secret(name)).isNull();
        assertThat(jobs.service(name)).isNull();
    }

    @Test
    void fixingAnUnreadableFieldLetsTheJobStart() {
        TestJobs jobs = new TestJobs(client);
        // backoffLimit may change under a FineTuneJob; a run field (objective) would need a new one in a
        // cluster, whose CRD keeps it immutable (the mock API server does not).
        createRaw("three-retries", m -> m + "  backoffLimit: three\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Lifecycle.INVALID_SPEC.equals(jobs.status("three-retries").reason));
        assertThat(jobs.status("three-retries").message)
                .contains("spec.backoffLimit: expected an integer, got \"three\"");

        client.genericKubernetesResources(FINETUNEJOBS)
                .inNamespace(TestJobs.NAMESPACE)
                .withName("three-retries")
                .edit(r -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> spec =
                            (Map<String, Object>) r.getAdditionalProperties().get("spec");
                    spec.put("backoffLimit", 3);
                    return r;
                });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.trainerJob("three-retries").isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.status("three-retries").phase == Phase.Pending);
        assertThat(Conditions.find(jobs.status("three-retries").conditions, Conditions.SPEC_VALID)
                        .getStatus())
                .isEqualTo("True");
    }
}
