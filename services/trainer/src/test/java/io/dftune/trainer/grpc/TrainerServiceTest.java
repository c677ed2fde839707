package io.dftune.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.testing.TinyJob;
import io.dftune.proto.v1.CancelRunRequest;
import io.dftune.proto.v1.Checkpoint;
import io.dftune.proto.v1.GenerateRequest;
import io.dftune.proto.v1.GenerateResponse;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.ListCheckpointsRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.StartRunRequest;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.trainer.metrics.TrainerMetrics;
import io.dftune.trainer.testing.EventCollector;
import io.dftune.trainer.testing.TrainerClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Trainer service over a real socket, through one run's life: refused calls while idle,
 * invalid manifests, start, a second start, watching with a reconnect, sampling while training,
 * cancel, checkpoints, sampling a checkpoint, metrics, health and reflection. The process holds
 * one run, so the steps build on each other in order.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    // Far more steps than the test needs: the run must still be training when it is cancelled.
    private static final int MAX_STEPS = 5000;

    private static Path dir;
    private static TrainerClient client;
    private static RunStatus cancelled;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void tinyModel() throws IOException {
        dir = Files.createTempDirectory("dftune-service-test-");
        TinyJob.writeModelAndData(dir);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client != null) {
            client.close();
        }
        AtomicDirectory.deleteRecursively(dir);
    }

    private TrainerGrpc.TrainerBlockingStub trainer() {
        if (client == null) {
            client = new TrainerClient(root.getPort());
        }
        return client.blocking();
    }

    private static StartRunRequest start(String manifest) {
        return StartRunRequest.newBuilder()
                .setManifest(manifest)
                .setBaseDir(dir.toString())
                .build();
    }

    private static Status.Code codeOf(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
        assertThat(e).as("the call should fail").isNotNull();
        return e.getStatus().getCode();
    }

    @Test
    @Order(1)
    void anIdleTrainerAnswersWithoutATokenAndRefusesWhatNeedsARun() {
        RunStatus status = trainer().getRun(GetRunRequest.getDefaultInstance());
        assertThat(status.getPhase()).isEqualTo(Phase.PHASE_IDLE);
        assertThat(status.getStreamId()).isNotEmpty();

        assertThat(codeOf(() -> trainer().cancelRun(CancelRunRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(codeOf(() -> trainer().listCheckpoints(ListCheckpointsRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(codeOf(() -> trainer()
                        .generate(GenerateRequest.newBuilder().setPrompt("hi").build())))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    @Order(2)
    void invalidManifestsAreRefusedNamingTheField() {
        String badBatch = TinyJob.manifest("bad", "out-bad", 4, 0).replace("batchSize: 4", "batchSize: 0");
        StatusRuntimeException invalid =
                catchThrowableOfType(() -> trainer().startRun(start(badBatch)), StatusRuntimeException.class);
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getStatus().getDescription()).contains("spec.training.batchSize");
        BadRequest details = badRequest(invalid);
        assertThat(details.getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField)
                .contains("spec.training.batchSize");

        String unknownField = TinyJob.manifest("bad", "out-bad", 4, 0).replace("learningRate:", "learningRat:");
        StatusRuntimeException malformed =
                catchThrowableOfType(() -> trainer().startRun(start(unknownField)), StatusRuntimeException.class);
        assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(malformed.getStatus().getDescription()).contains("spec.training.learningRat");

        String twoBroken = TinyJob.manifest("bad", "out-bad", 4, 0)
                .replace("batchSize: 4", "batchSize: 0")
                .replace("maxLength: 64", "maxLength: 4");
        StatusRuntimeException both =
                catchThrowableOfType(() -> trainer().startRun(start(twoBroken)), StatusRuntimeException.class);
        assertThat(badRequest(both).getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField)
                .as("every broken rule, not just the first")
                .contains("spec.training.batchSize", "spec.training.maxLength");

        assertThat(trainer().getRun(GetRunRequest.getDefaultInstance()).getPhase())
                .as("a refused manifest starts nothing")
                .isEqualTo(Phase.PHASE_IDLE);
    }

    private static BadRequest badRequest(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        return status.getDetailsList().stream()
                .filter(any -> any.is(BadRequest.class))
                .map(any -> {
                    try {
                        return any.unpack(BadRequest.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new AssertionError(x);
                    }
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no BadRequest detail in " + status));
    }

    @Test
    @Order(3)
    void aRunIsStartedWatchedSampledAndCancelled() throws Exception {
        RunStatus started = trainer().startRun(start(TinyJob.manifest("service-test", "out", MAX_STEPS, 5)));
        assertThat(started.getPhase()).isEqualTo(Phase.PHASE_LOADING);
        assertThat(started.getJobName()).isEqualTo("service-test");
        assertThat(started.getNamespace()).isEqualTo("tests");
        assertThat(started.getObjective()).isEqualTo("dft");

        assertThat(codeOf(() -> trainer().startRun(start(TinyJob.manifest("second", "out2", 4, 0)))))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);

        // A watcher from the first event that goes away after step 3.
        EventCollector first = new EventCollector();
        client.async().watchRun(WatchRunRequest.getDefaultInstance(), first);
        first.awaitEvent(e -> e.hasStep() && e.getStep().getStep() >= 3, WAIT);
        first.hangUp();
        List<RunEvent> seen = first.received();
        assertConsecutiveFrom(1, seen);
        assertThat(seen.get(0).getPhase().getPhase()).isEqualTo(Phase.PHASE_LOADING);
        assertThat(seen)
                .as("the memory plan, before the first step")
                .filteredOn(e -> e.hasMemoryPlan() || e.hasStep())
                .first()
                .satisfies(e -> assertThat(e.getMemoryPlan().getPeakBytes()).isPositive());
        RunEvent lastSeen = seen.get(seen.size() - 1);

        // Training goes on without it.
        awaitStatus(s -> s.getLastSequence() >= lastSeen.getSequence() + 5);
        RunStatus training = trainer().getRun(GetRunRequest.getDefaultInstance());
        assertThat(training.getPhase()).isEqualTo(Phase.PHASE_TRAINING);
        assertThat(training.getEtaSeconds()).as("ETA of the steps left").isPositive();
        assertThat(training.getMemoryPlan().getFits()).isTrue();
        assertThat(training.getMemoryPlan().getSummary()).startsWith("memory plan: peak ");

        assertThat(training.getLatestTrain().getStep())
                .isEqualTo(training.getStep())
                .isGreaterThanOrEqualTo(3);

        // Sampling the current weights while training: served between two steps.
        GenerateResponse whileTraining = trainer()
                .generate(GenerateRequest.newBuilder()
                        .setPrompt(TinyJob.PROMPT)
                        .setMaxNewTokens(4)
                        .build());
        assertThat(whileTraining.getWeightsStep()).isBetween(3L, (long) MAX_STEPS - 1);
        assertThat(whileTraining.getTokens()).isBetween(0, 4);

        // The watcher comes back with the last sequence number it saw and gets what it missed.
        EventCollector second = new EventCollector();
        client.async()
                .watchRun(
                        WatchRunRequest.newBuilder()
                                .setStreamId(lastSeen.getStreamId())
                                .setAfterSequence(lastSeen.getSequence())
                                .build(),
                        second);
        RunEvent resumedAt = second.awaitEvent(e -> true, WAIT);
        assertThat(resumedAt.getSequence()).isEqualTo(lastSeen.getSequence() + 1);
        second.awaitEvent(e -> e.hasCheckpoint(), WAIT);

        RunStatus stopping = trainer().cancelRun(CancelRunRequest.getDefaultInstance());
        assertThat(stopping.getPhase()).isIn(Phase.PHASE_STOPPING, Phase.PHASE_CANCELLED);

        List<RunEvent> rest = second.awaitEnd(WAIT);
        assertConsecutiveFrom(lastSeen.getSequence() + 1, rest);
        List<RunEvent> all = new ArrayList<>(seen);
        all.addAll(rest);
        List<Long> steps = all.stream()
                .filter(RunEvent::hasStep)
                .map(e -> e.getStep().getStep())
                .toList();
        assertThat(steps)
                .as("every step reported once, in order")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, steps.size())
                        .boxed()
                        .toList());
        assertThat(all).anyMatch(e -> e.hasEval() && e.getEval().getStep() == 0);
        RunEvent end = rest.get(rest.size() - 1);
        assertThat(end.getPhase().getPhase()).isEqualTo(Phase.PHASE_CANCELLED);
        RunEvent stopCheckpoint = rest.get(rest.size() - 2);
        assertThat(stopCheckpoint.hasCheckpoint())
                .as("a checkpoint right before the end")
                .isTrue();
        assertThat(stopCheckpoint.getCheckpoint().getStep()).isEqualTo(steps.get(steps.size() - 1));

        cancelled = trainer().getRun(GetRunRequest.getDefaultInstance());
        assertThat(cancelled.getPhase()).isEqualTo(Phase.PHASE_CANCELLED);
        assertThat(cancelled.getStep())
                .isEqualTo(stopCheckpoint.getCheckpoint().getStep())
                .isLessThan(MAX_STEPS);
        assertThat(cancelled.getTotalSteps()).isEqualTo(MAX_STEPS);
        assertThat(cancelled.getLatestTrain().getStep()).isEqualTo(cancelled.getStep());
        assertThat(cancelled.getLatestTrain().getLoss()).isPositive();
        assertThat(cancelled.getLatestEval().getStep()).isZero();
        assertThat(cancelled.getBaseEval())
                .as("the evaluation before training, for a client that connects later")
                .isEqualTo(cancelled.getLatestEval());
        assertThat(cancelled.getLatestCheckpoint()).isEqualTo(stopCheckpoint.getCheckpoint());
        assertThat(cancelled.getLastSequence()).isEqualTo(end.getSequence());
        assertThat(cancelled.hasCompletionTime()).isTrue();
        assertThat(cancelled.getFinalModel()).isEmpty();
        assertThat(dir.resolve("out/final")).doesNotExist();

        assertThat(codeOf(() -> trainer().cancelRun(CancelRunRequest.getDefaultInstance())))
                .as("nothing left to cancel")
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    @Order(4)
    void checkpointsAreListedAndSampledLikeTheWeightsTheyHold() {
        List<Checkpoint> checkpoints = trainer()
                .listCheckpoints(ListCheckpointsRequest.getDefaultInstance())
                .getCheckpointsList();
        assertThat(checkpoints).hasSizeBetween(1, 3);
        assertThat(checkpoints.get(0).getName()).isEqualTo("step-" + cancelled.getStep());
        assertThat(checkpoints).extracting(Checkpoint::getStep).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(Path.of(checkpoints.get(0).getPath())).isDirectory();

        GenerateRequest greedy = GenerateRequest.newBuilder()
                .setPrompt(TinyJob.PROMPT)
                .setMaxNewTokens(6)
                .build();
        GenerateResponse current = trainer().generate(greedy);
        GenerateResponse fromCheckpoint = trainer()
                .generate(greedy.toBuilder()
                        .setCheckpoint(checkpoints.get(0).getName())
                        .build());
        assertThat(current.getWeightsStep()).isEqualTo(cancelled.getStep());
        assertThat(fromCheckpoint.getWeightsStep()).isEqualTo(cancelled.getStep());
        assertThat(fromCheckpoint.getCompletion())
                .as("the stop checkpoint holds the current weights")
                .isEqualTo(current.getCompletion());

        GenerateRequest sampled =
                greedy.toBuilder().setTemperature(1.5).setTopP(0.9).setSeed(7).build();
        assertThat(trainer().generate(sampled).getCompletion())
                .as("a seeded sample repeats")
                .isEqualTo(trainer().generate(sampled).getCompletion());

        assertThat(codeOf(() -> trainer()
                        .generate(
                                greedy.toBuilder().setCheckpoint("step-999999").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(
                        () -> trainer().generate(greedy.toBuilder().setTopP(1.5).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    @Order(5)
    void metricsAreExportedWithTheRunsTags() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(root + "q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String metrics = response.body();
        for (String name : TrainerMetrics.prometheusNames()) {
            assertThat(metrics).as(name).containsPattern("(?m)^" + name + "\\{");
        }
        String tags = "job=\"service-test\",namespace=\"tests\",objective=\"dft\"";
        assertThat(metrics).containsPattern("(?m)^dftune_train_step\\{" + tags + "} " + cancelled.getStep() + "\\.0$");
        assertThat(metrics).containsPattern("(?m)^dftune_run_phase\\{" + tags + ",phase=\"cancelled\"} 1\\.0$");
        assertThat(metrics).containsPattern("(?m)^dftune_run_phase\\{" + tags + ",phase=\"training\"} 0\\.0$");
        assertThat(metrics)
                .containsPattern("(?m)^dftune_train_steps_total\\{" + tags + "} " + cancelled.getStep() + "\\.0$");
        assertThat(metrics).containsPattern("(?m)^dftune_run_resumes_total\\{" + tags + "} 0\\.0$");
        assertThat(metrics).containsPattern("(?m)^dftune_checkpoint_write_seconds_count\\{" + tags + "} [1-9]");
    }

    @Test
    @Order(6)
    void healthAndReflectionAreServed() throws Exception {
        HealthOuterClass.HealthCheckResponse health = HealthGrpc.newBlockingStub(client.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthOuterClass.HealthCheckRequest.newBuilder()
                        .setService("dftune.v1.Trainer")
                        .build());
        assertThat(health.getStatus()).isEqualTo(HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(client.channel())
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        services.complete(value.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName)
                                .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        services.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(services.get(10, TimeUnit.SECONDS)).contains("dftune.v1.Trainer", "grpc.health.v1.Health");
        requests.onCompleted();
    }

    private static void assertConsecutiveFrom(long first, List<RunEvent> events) {
        assertThat(events).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getSequence())
                    .as("sequence of event %d", i)
                    .isEqualTo(first + i);
        }
    }

    private void awaitStatus(java.util.function.Predicate<RunStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RunStatus status = trainer().getRun(GetRunRequest.getDefaultInstance());
        while (!condition.test(status)) {
            assertThat(System.nanoTime())
                    .as("waiting for the run; last status " + status)
                    .isLessThan(deadline);
            Thread.sleep(50);
            status = trainer().getRun(GetRunRequest.getDefaultInstance());
        }
    }
}
