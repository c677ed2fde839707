package io.dftune.trainer.testing;

import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.WatchRunRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WatchRun client that queues what it receives and can hang up like a vanished watcher. */
public final class EventCollector implements ClientResponseObserver<WatchRunRequest, RunEvent> {
    private final BlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>();
    private final List<RunEvent> received = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ClientCallStreamObserver<WatchRunRequest> call;
    private volatile Throwable error;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRunRequest> requestStream) {
        call = requestStream;
    }

    @Override
    public void onNext(RunEvent event) {
        queue.add(event);
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        closed.countDown();
    }

    @Override
    public void onCompleted() {
        closed.countDown();
    }

    /** Takes events until one matches; fails when none does within the timeout. */
    public RunEvent awaitEvent(Predicate<RunEvent> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunEvent event = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("no matching event within " + timeout + "; received " + received);
            }
            received.add(event);
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Waits for the server to end the stream and returns every event received. */
    public List<RunEvent> awaitEnd(Duration timeout) throws InterruptedException {
        if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the stream did not end within " + timeout);
        }
        if (error != null) {
            throw new AssertionError("the stream failed", error);
        }
        queue.drainTo(received);
        return List.copyOf(received);
    }

    /** Hangs up, as a client that goes away would. */
    public void hangUp() {
        call.cancel("test client leaves", null);
    }

    public List<RunEvent> received() {
        return List.copyOf(received);
    }
}
