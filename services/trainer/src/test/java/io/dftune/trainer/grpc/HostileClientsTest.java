package io.dftune.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.testing.TinyJob;
import io.dftune.proto.v1.CancelRunRequest;
import io.dftune.proto.v1.GenerateRequest;
import io.dftune.proto.v1.GenerateResponse;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.StartRunRequest;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.trainer.testing.TrainerClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad and greedy clients of a trainer that is training: each gets the right status code, and
 * the run goes on. Generate calls that hammer the current weights are served at most one per gap
 * between two training steps, and those beyond the waiting limit are refused.
 */
@QuarkusTest
@TestProfile(HostileClientsTest.WithTokenAndSmallLimits.class)
class HostileClientsTest {
    private static final String TOKEN = "hostile-test-token";
    private static final int MAX_NEW_TOKENS = 16;
    private static final int MAX_WAITING = 2;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static Path dir;

    public static class WithTokenAndSmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path tokenFile = Files.createTempFile("dftune-hostile-token-", "");
                Files.writeString(tokenFile, TOKEN);
                tokenFile.toFile().deleteOnExit();
                return Map.of(
                        "dftune.auth.token-file", tokenFile.toString(),
                        "dftune.generate.max-new-tokens", String.valueOf(MAX_NEW_TOKENS),
                        "dftune.generate.max-waiting", String.valueOf(MAX_WAITING));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void tinyModel() throws IOException {
        dir = Files.createTempDirectory("dftune-hostile-");
        TinyJob.writeModelAndData(dir);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        AtomicDirectory.deleteRecursively(dir);
    }

    @Test
    void badRequestsGetTheirStatusAndTheRunTrainsOn() throws Exception {
        try (TrainerClient client = new TrainerClient(root.getPort())) {
            TrainerGrpc.TrainerBlockingStub trainer = client.withAuthorization("Bearer " + TOKEN);
            trainer.startRun(StartRunRequest.newBuilder()
                    .setManifest(TinyJob.manifest("hostile", "out", 100_000, 0))
                    .setBaseDir(dir.toString())
                    .build());
            RunStatus training = awaitStep(trainer, 2);

            assertThat(codeOf(() -> client.blocking().getRun(GetRunRequest.getDefaultInstance())))
                    .as("no token")
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(codeOf(() ->
                            client.withAuthorization("Bearer not-" + TOKEN).generate(generate(4))))
                    .as("a wrong token")
                    .isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(codeOf(() -> trainer.startRun(StartRunRequest.newBuilder()
                            .setManifest("# " + "x".repeat(5 << 20))
                            .build())))
                    .as("a message above the 4 MiB limit")
                    .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(codeOf(() -> trainer.generate(generate(5_000_000))))
                    .as("millions of new tokens")
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(codeOf(() -> trainer.generate(generate(-1)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(codeOf(() ->
                            trainer.generate(generate(4).toBuilder().setTopP(7).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(codeOf(() -> trainer.watchRun(WatchRunRequest.newBuilder()
                                    .setStreamId(training.getStreamId())
                                    .setAfterSequence(training.getLastSequence() + 1_000_000)
                                    .build())
                            .hasNext()))
                    .as("WatchRun from a sequence number in the future")
                    .isEqualTo(Status.Code.OUT_OF_RANGE);

            List<GenerateResponse> served = hammerGenerate(trainer, 6, Duration.ofSeconds(8));
            assertThat(served).as("some calls are served").isNotEmpty();
            long steps = served.stream()
                    .map(GenerateResponse::getWeightsStep)
                    .distinct()
                    .count();
            assertThat(steps)
                    .as("at most one generation per gap between training steps: %s", served)
                    .isEqualTo(served.size());

            RunStatus after = trainer.getRun(GetRunRequest.getDefaultInstance());
            assertThat(after.getPhase()).isEqualTo(Phase.PHASE_TRAINING);
            assertThat(after.getStep()).isGreaterThan(training.getStep());
            trainer.cancelRun(CancelRunRequest.getDefaultInstance());
            // the stop checkpoint is written before the run ends; the folder is removed after that
            awaitStatus(trainer, s -> s.getPhase() == Phase.PHASE_CANCELLED, "the end of the run");
        }
    }

    /**
     * Six threads call Generate on the current weights without pause; the calls beyond the waiting
     * limit must be refused, never queued without bound.
     */
    private static List<GenerateResponse> hammerGenerate(
            TrainerGrpc.TrainerBlockingStub trainer, int threads, Duration duration) throws InterruptedException {
        ConcurrentLinkedQueue<GenerateResponse> served = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Status.Code> refused = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    try {
                        served.add(trainer.generate(generate(MAX_NEW_TOKENS)));
                    } catch (StatusRuntimeException e) {
                        refused.add(e.getStatus().getCode());
                    }
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(refused)
                .as("calls beyond the waiting limit")
                .isNotEmpty()
                .containsOnly(Status.Code.RESOURCE_EXHAUSTED);
        return new ArrayList<>(served);
    }

    private static GenerateRequest generate(int maxNewTokens) {
        return GenerateRequest.newBuilder()
                .setPrompt(TinyJob.PROMPT)
                .setMaxNewTokens(maxNewTokens)
                .build();
    }

    private static RunStatus awaitStep(TrainerGrpc.TrainerBlockingStub trainer, long step) throws InterruptedException {
        return awaitStatus(trainer, s -> s.getStep() >= step, "step " + step);
    }

    private static RunStatus awaitStatus(
            TrainerGrpc.TrainerBlockingStub trainer, Predicate<RunStatus> reached, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RunStatus status = trainer.getRun(GetRunRequest.getDefaultInstance());
        while (!reached.test(status)) {
            assertThat(System.nanoTime()).as("waiting for %s: %s", what, status).isLessThan(deadline);

            Thread.sleep(50);
            status = trainer.getRun(GetRunRequest.getDefaultInstance());
        }
        return status;
    }

    private static Status.Code codeOf(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
        assertThat(e).as("the call should be refused").isNotNull();
        return e.getStatus().getCode();
    }
}
