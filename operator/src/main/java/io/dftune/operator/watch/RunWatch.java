package io.dftune.operator.watch;

import io.dftune.proto.v1.GetRunRequest;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.RunStatus;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Follows one trainer pod: GetRun for the state so far, then WatchRun after its last sequence
 * number. When the stream breaks it reconnects with the stream_id and the last sequence seen, so
 * no event is missed while the trainer's buffer holds it; a jump in sequence numbers or a new
 * stream_id (the process restarted) is answered with a fresh GetRun. Everything is asynchronous:
 * no thread waits on the network. Every call carries the job's bearer token.
 */
final class RunWatch {
    private static final Logger LOG = Logger.getLogger(RunWatch.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final String key;
    private final String podUid;
    private final ManagedChannel channel;
    private final TrainerGrpc.TrainerStub stub;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    /** (snapshot, urgent): called with every new snapshot; urgent when the phase changed. */
    private final BiConsumer<RunSnapshot, Boolean> publish;

    private volatile boolean stopped;
    private RunSnapshot snapshot;
    private String streamId = "";
    private long lastSequence;
    private Duration retry = FIRST_RETRY;
    private int failedAttempts;

    RunWatch(
            String key,
            String podUid,
            Supplier<ManagedChannel> channelFactory,
            String token,
            ScheduledExecutorService scheduler,
            Clock clock,
            BiConsumer<RunSnapshot, Boolean> publish) {
        this.key = key;
        this.podUid = podUid;
        this.channel = channelFactory.get();
        this.stub = TrainerGrpc.newStub(channel).withInterceptors(BearerToken.of(token));
        this.scheduler = scheduler;
        this.clock = clock;
        this.publish = publish;
        this.snapshot = RunSnapshot.empty(podUid, clock.instant());
    }

    String podUid() {
        return podUid;
    }

    void start() {
        refreshThenWatch();
    }

    /** Stops reconnecting; a stream in progress may still deliver its last events. */
    void stop() {
        stopped = true;
        channel.shutdown();
    }

    private void refreshThenWatch() {
        if (!stopped) {
            getRun(this::watch, this::retryLater);
        }
    }

    /** GetRun, applied to the snapshot; then {@code onDone}, or {@code onFailure} with the error. */
    private void getRun(Runnable onDone, Consumer<Throwable> onFailure) {
        stub.getRun(GetRunRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(RunStatus status) {
                applyStatus(status);
            }

            @Override
            public void onError(Throwable t) {
                onFailure.accept(t);
            }

            @Override
            public void onCompleted() {
                onDone.run();
            }
        });
    }

    private synchronized void applyStatus(RunStatus status) {
        if (status.getStreamId().equals(streamId) && status.getLastSequence() < lastSequence) {
            return; // older than the events already applied
        }
        streamId = status.getStreamId();
        lastSequence = status.getLastSequence();
        boolean phaseChanged = snapshot.phase() != status.getPhase();
        snapshot = RunSnapshot.of(podUid, status, clock.instant());
        publish.accept(snapshot, phaseChanged);
    }

    private void watch() {
        if (stopped) {
            return;
        }
        WatchRunRequest request;
        synchronized (this) {
            request = WatchRunRequest.newBuilder()
                    .setStreamId(streamId)
                    .setAfterSequence(lastSequence)
                    .build();
        }
        stub.watchRun(request, new StreamObserver<>() {
            @Override
            public void onNext(RunEvent event) {
                applyEvent(event);
            }

            @Override
            public void onError(Throwable t) {
                retryLater(t);
            }

            @Override
            public void onCompleted() {
                // The run reached a terminal phase: one last GetRun for what events do not carry
                // (the final model directory), then nothing more to follow.
                getRun(() -> {}, t -> LOG.debugf("%s: final GetRun failed: %s", key, t.getMessage()));
            }
        });
    }

    private void applyEvent(RunEvent event) {
        boolean gap;
        boolean phaseChanged;
        RunSnapshot next;
        synchronized (this) {
            retry = FIRST_RETRY;
            failedAttempts = 0;
            gap = !event.getStreamId().equals(streamId)
                    || (lastSequence > 0 && event.getSequence() != lastSequence + 1);
            streamId = event.getStreamId();
            lastSequence = event.getSequence();
            next = snapshot.with(event, clock.instant());
            phaseChanged = next.phase() != snapshot.phase();
            snapshot = next;
        }
        publish.accept(next, phaseChanged);
        if (gap) {
            // Events were dropped from the trainer's buffer: GetRun has the state they led to.
            getRun(() -> {}, t -> {});
        }
    }

    private void retryLater(Throwable t) {
        if (stopped) {
            return;
        }
        Duration delay;
        synchronized (this) {
            delay = retry;
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            failedAttempts++;
            if (failedAttempts == 1 || failedAttempts % 20 == 0) {
                LOG.debugf("%s: trainer not reachable (%s); retrying in %s", key, t.getMessage(), delay);
            }
        }
        boolean resume;
        synchronized (this) {
            resume = !streamId.isEmpty();
        }
        scheduler.schedule(resume ? this::watch : this::refreshThenWatch, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
