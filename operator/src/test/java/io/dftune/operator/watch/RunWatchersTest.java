package io.dftune.operator.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.testing.Settings;
import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.PhaseChange;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.TrainMetrics;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trainer whose first WatchRun stream breaks after three events: the watcher reconnects with the
 * stream_id and the last sequence it saw, misses nothing, sends the token on every call, and
 * reports progress at most once per interval.
 */
class RunWatchersTest {
    private static final String STREAM = "stream-1";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<WatchRunRequest> watchRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger watches = new AtomicInteger();
    private Server server;
    private RunWatchers watchers;

    private static RunEvent step(long sequence) {
        return RunEvent.newBuilder()
                .setSequence(sequence)
                .setStreamId(STREAM)
                .setStep(TrainMetrics.newBuilder()
                        .setStep(sequence)
                        .setTotalSteps(6)
                        .setLoss(1.0 / sequence)
                        .setStepSeconds(0.5))
                .build();
    }

    private final TrainerGrpc.TrainerImplBase trainer = new TrainerGrpc.TrainerImplBase() {
        @Override
        public void getRun(GetRunRequest request, StreamObserver<RunStatus> response) {
            response.onNext(RunStatus.newBuilder()
                    .setPhase(Phase.PHASE_TRAINING)
                    .setStreamId(STREAM)
                    .setLastSequence(0)
                    .setTotalSteps(6)
                    .build());
            response.onCompleted();
        }

        @Override
        public void watchRun(WatchRunRequest request, StreamObserver<RunEvent> events) {
            watchRequests.add(request);
            if (watches.incrementAndGet() == 1) {
                for (long s = 1; s <= 3; s++) {
                    events.onNext(step(s));
                }
                events.onError(
                        Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
                return;
            }
            for (long s = request.getAfterSequence() + 1; s <= 5; s++) {
                events.onNext(step(s));
            }
            events.onNext(RunEvent.newBuilder()
                    .setSequence(6)
                    .setStreamId(STREAM)
                    .setPhase(PhaseChange.newBuilder()
                            .setPhase(Phase.PHASE_SUCCEEDED)
                            .setStep(6)
                            .setTotalSteps(6))
                    .build());
            events.onCompleted();
        }
    };

    @AfterEach
    void stop() {
        if (watchers != null) {
            watchers.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void aBrokenStreamIsResumedAfterTheLastSequenceWithTheToken() throws Exception {
        ServerInterceptor recordAuth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                calls.add(call.getMethodDescriptor().getBareMethodName() + " " + headers.get(AUTHORIZATION));
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forPort(0)
                .addService(ServerInterceptors.intercept(trainer, recordAuth))
                .build()
                .start();
        watchers = new RunWatchers(
                (namespace, name) -> "localhost:" + server.getPort(),
                Settings.of(Map.of("dftune.status-interval", "30s")));
        List<ResourceID> notified = new CopyOnWriteArrayList<>();
        watchers.onProgress(notified::add);
        ResourceID id = new ResourceID("job", "ns");

        watchers.watch(id, "pod-1", "secret-token");
        watchers.watch(id, "pod-1", "secret-token"); // the same pod: nothing new

        await().atMost(Duration.ofSeconds(30)).until(() -> watchers.snapshot(id)
                .map(s -> s.phase() == Phase.PHASE_SUCCEEDED)
                .orElse(false));
        RunSnapshot last = watchers.snapshot(id).orElseThrow();
        assertThat(last.step()).isEqualTo(6);
        assertThat(last.train().getStep()).isEqualTo(5);
        assertThat(last.podUid()).isEqualTo("pod-1");

        assertThat(watchRequests).hasSize(2);
        assertThat(watchRequests.get(0).getStreamId()).isEqualTo(STREAM);
        assertThat(watchRequests.get(0).getAfterSequence()).isZero();
        assertThat(watchRequests.get(1).getStreamId()).isEqualTo(STREAM);
        assertThat(watchRequests.get(1).getAfterSequence())
                .as("resumes after the last event seen")
                .isEqualTo(3);
        assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call).endsWith(" Bearer secret-token"));
        assertThat(calls).filteredOn(c -> c.startsWith("WatchRun")).hasSize(2);

        // The phase changes are reported at once (TRAINING at the start, SUCCEEDED at the end); the
        // step events in between wait for the 30 s interval.
        assertThat(notified).hasSize(2);
    }
}
