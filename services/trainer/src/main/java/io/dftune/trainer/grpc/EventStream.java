package io.dftune.trainer.grpc;

import io.dftune.proto.v1.RunEvent;
import io.dftune.trainer.service.EventLog;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WatchRun call. Events are copied from the log only while gRPC's flow control says the
 * client can take more, so a slow or vanished client holds no more than gRPC's own small buffer
 * and never holds up the training thread; if it falls behind further than the log keeps, it
 * continues at the oldest event still there.
 */
final class EventStream {
    private static final int BATCH = 64;

    private final EventLog log;
    private final ServerCallStreamObserver<RunEvent> out;
    private final Executor executor;
    private final Runnable onDone;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean done;
    private volatile long delivered;

    EventStream(
            EventLog log,
            ServerCallStreamObserver<RunEvent> out,
            long afterSequence,
            Executor executor,
            Runnable onDone) {
        this.log = log;
        this.out = out;
        this.delivered = afterSequence;
        this.executor = executor;
        this.onDone = onDone;
        out.setOnReadyHandler(this::wake);
        out.setOnCancelHandler(this::finish);
    }

    /** Schedules a pass over new events; never blocks, at most one pass is pending. */
    void wake() {
        if (!done && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** True when the client has been sent every event there is, or the call is over. */
    boolean caughtUp() {
        return done || delivered >= log.lastSequence();
    }

    private void drain() {
        try {
            send();
        } catch (RuntimeException e) {
            finish(); // the call was cancelled or closed under us
        } finally {
            scheduled.set(false);
        }
        // An append or onReady signal that came between the last check and clearing the flag.
        if (!done && out.isReady() && log.lastSequence() > delivered) {
            wake();
        }
    }

    private void send() {
        while (!done && out.isReady()) {
            List<RunEvent> batch = log.after(delivered, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (RunEvent event : batch) {
                if (!out.isReady()) {
                    break;
                }
                out.onNext(event);
                delivered = event.getSequence();
            }
        }
        if (!done && log.endedBefore(delivered)) {
            out.onCompleted();
            finish();
        }
    }

    private void finish() {
        if (!done) {
            done = true;
            onDone.run();
        }
    }
}
