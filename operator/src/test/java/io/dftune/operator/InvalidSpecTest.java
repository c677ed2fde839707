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
import io.dftune.spec.ObjectiveSpec;
import io.dftune.spec.ResourcesSpec;
import io.dftune.spec.TolerationSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per validation rule: the mock API server applies no schema or CEL rule, so each
 * FineTuneJob reaches the operator, which must answer with a SpecValid=False condition naming the
 * field and create nothing. (The CRD's own rules are checked in {@link CrdIT}.)
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class InvalidSpecTest {
    @Inject
    @TestClient
    KubernetesClient client;

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("a-name-that-is-far-too-long-to-name-the-trainer-service-x", "metadata.name", "DNS-1035", j -> {}),
                rule("9lives", "metadata.name", "starting with a letter", j -> {}),
                rule("no-model", "spec.model", "required", j -> j.getSpec().setModel(null)),
                rule("s3-data", "spec.data.train", "unsupported scheme \"s3://\"", j -> j.getSpec()
                        .getData()
                        .setTrain("s3://bucket/train.jsonl")),
                rule("bad-claim", "spec.model.path", "claim name \"Bad_Claim\"", j -> j.getSpec()
                        .getModel()
                        .setPath("pvc://Bad_Claim/model")),
                rule("local-output", "spec.output.path", "must be pvc://<claim>/<path> in a cluster", j -> j.getSpec()
                        .getOutput()
                        .setPath("/runs/out")),
                rule("batch-zero", "spec.training.batchSize", "must be >= 1", j -> j.getSpec()
                        .getTraining()
                        .setBatchSize(0)),
                rule("micro-batch", "spec.training.microBatchSize", "must divide batchSize 4", j -> j.getSpec()
                        .getTraining()
                        .setMicroBatchSize(3)),
                rule("no-length", "spec.training.epochs", "must be >= 1 when maxSteps is 0", j -> {
                    j.getSpec().getTraining().setMaxSteps(0);
                    j.getSpec().getTraining().setEpochs(0);
                }),
                rule("lr-high", "spec.training.learningRate", "<= 1", j -> j.getSpec()
                        .getTraining()
                        .setLearningRate(2)),
                rule("q-zero", "spec.objective.q", "> 0", j -> {
                    j.getSpec().setObjective(new ObjectiveSpec());
                    j.getSpec().getObjective().setQ(0);
                }),
                rule("keep-zero", "spec.checkpoint.keep", ">= 1", j -> j.getSpec()
                        .getCheckpoint()
                        .setKeep(0)),
                rule("cpu", "spec.resources.cpu", "Kubernetes quantity", j -> {
                    j.getSpec().setResources(new ResourcesSpec());
                    j.getSpec().getResources().setCpu("lots");
                }),
                rule("toleration", "spec.tolerations[0].value", "must be empty when operator is Exists", j -> {
                    TolerationSpec t = new TolerationSpec();
                    t.setKey("gpu");
                    t.setOperator(TolerationSpec.Operator.EXISTS);
                    t.setValue("yes");
                    j.getSpec().setTolerations(List.of(t));
                }),
                rule("node-selector", "spec.nodeSelector[bad key]", "label key", j -> j.getSpec()
                        .setNodeSelector(Map.of("bad key", "x"))),
                rule("priority", "spec.priorityClassName", "PriorityClass name", j -> j.getSpec()
                        .setPriorityClassName("High")),
                rule("queue", "spec.queueName", "LocalQueue name", j -> j.getSpec()
                        .setQueueName("bad queue")),
                rule("backoff", "spec.backoffLimit", "between 0 and 100", j -> j.getSpec()
                        .setBackoffLimit(101)),
                rule("deadline", "spec.activeDeadlineSeconds", ">= 1", j -> j.getSpec()
                        .setActiveDeadlineSeconds(0L)),
                rule("ttl", "spec.ttlSecondsAfterFinished", ">= 0", j -> j.getSpec()
                        .setTtlSecondsAfterFinished(-1)),
                rule("image", "spec.image", "without spaces", j -> j.getSpec().setImage("my image")));
    }

    private static Arguments rule(String name, String field, String message, Consumer<FineTuneJob> breakIt) {
        return Arguments.of(name, field, message, breakIt);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("rules")
    void anInvalidSpecGetsAConditionNamingTheFieldAndNoObjects(
            String name, String field, String message, Consumer<FineTuneJob> breakIt) {
        TestJobs jobs = new TestJobs(client);
        FineTuneJob job = jobs.parse(TestJobs.manifest(name, 10, 0));
        breakIt.accept(job);
        jobs.create(job);

        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.status(name).phase == Phase.Failed);
        FineTuneJobStatus status = jobs.status(name);
        assertThat(status.reason).isEqualTo(Lifecycle.INVALID_SPEC);
        Condition valid = Conditions.find(status.conditions, Conditions.SPEC_VALID);
        assertThat(valid.getStatus()).isEqualTo("False");
        assertThat(valid.getReason()).isEqualTo(Lifecycle.INVALID_SPEC);
        assertThat(valid.getMessage()).contains(field + ": ").contains(message);
        assertThat(valid.getObservedGeneration())
                .isEqualTo(jobs.get(name).getMetadata().getGeneration());
        assertThat(status.completionTime).as("not finished: a fix resumes it").isNull();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> nothingOwned(jobs, name));
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.events(name).stream()
                .anyMatch(e -> Lifecycle.INVALID_SPEC.equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void fixingAnInvalidFieldLetsTheJobStart() {
        TestJobs jobs = new TestJobs(client);
        FineTuneJob job = jobs.parse(TestJobs.manifest("fixed", 10, 0));
        job.getSpec().setBackoffLimit(101);
        jobs.create(job);
        await().atMost(Duration.ofSeconds(30)).until(() -> Lifecycle.INVALID_SPEC.equals(jobs.status("fixed").reason));

        client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withName("fixed")
                .edit(j -> {
                    j.getSpec().setBackoffLimit(2);
                    return j;
                });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.trainerJob("fixed").isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.status("fixed").phase == Phase.Pending);
        assertThat(Conditions.find(jobs.status("fixed").conditions, Conditions.SPEC_VALID)
                        .getStatus())
                .isEqualTo("True");
    }

    @Test
    void aSpecThatTurnsInvalidLosesItsObjects() {
        TestJobs jobs = new TestJobs(client);
        jobs.create(jobs.parse(TestJobs.manifest("turned", 10, 0)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.trainerJob("turned").isPresent()
                        && jobs.configMap("turned") != null
                        && jobs.secret("turned") != null
                        && jobs.service("turned") != null);

        // The API server accepts this edit (the CRD cannot check map keys); the operator does not.
        client.resources(FineTuneJob.class)
                .inNamespace(TestJobs.NAMESPACE)
                .withName("turned")
                .edit(j -> {
                    j.getSpec().setNodeSelector(Map.of("bad key", "x"));
                    return j;
                });
        await().atMost(Duration.ofSeconds(30)).until(() -> Lifecycle.INVALID_SPEC.equals(jobs.status("turned").reason));
        await().atMost(Duration.ofSeconds(30)).until(() -> nothingOwned(jobs, "turned"));
    }

    private static boolean nothingOwned(TestJobs jobs, String name) {
        return jobs.trainerJob(name).isEmpty()
                && jobs.configMap(name) == null
                && jobs.secret(name) == null
                && jobs.service(name) == null;
    }
}
