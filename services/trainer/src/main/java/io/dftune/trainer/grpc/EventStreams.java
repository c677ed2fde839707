package io.dftune.trainer.grpc;

import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.WatchRunRequest;
import io.dftune.trainer.service.EventLog;
import io.dftune.trainer.service.TrainingSession;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The open WatchRun calls; every event appended to the log wakes them. */
// A singleton (no client proxy): the stop-signal hook uses it after the container is gone.
@Singleton
public class EventStreams {
    private final EventLog log;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    // Sending never blocks (flow control decides how much), so two threads serve every watcher.
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "dftune-watch");
        t.setDaemon(true);
        return t;
    });
    private final Runnable wakeAll = () -> open.forEach(EventStream::wake);

    @Inject
    public EventStreams(TrainingSession session) {
        this.log = session.events();
        log.onAppend(wakeAll);
    }

    void open(WatchRunRequest request, StreamObserver<RunEvent> observer) {
        long after = request.getStreamId().equals(log.streamId()) ? request.getAfterSequence() : 0;
        if (after > log.lastSequence()) {
            observer.onError(Status.OUT_OF_RANGE
                    .withDescription(
                            "after_sequence " + after + " is past this stream's newest event, " + log.lastSequence())
                    .asRuntimeException());
            return;
        }
        EventStream[] self = new EventStream[1];
        self[0] = new EventStream(
                log, (ServerCallStreamObserver<RunEvent>) observer, after, executor, () -> open.remove(self[0]));
        open.add(self[0]);
        self[0].wake();
    }

    /** Waits (at most {@code timeout}) until every watcher has been sent every event. */
    public void awaitDelivered(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.stream().allMatch(EventStream::caughtUp) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void close() {
        log.removeListener(wakeAll);
        executor.shutdownNow();
    }
}
