package io.dftune.trainer.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.PhaseChange;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.TrainMetrics;
import io.dftune.trainer.service.EventLog;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A watcher that cannot keep up holds up neither the log nor the writer, and resumes at the oldest kept event. */
class EventStreamTest {
    private static final Executor INLINE = Runnable::run;

    /** Stands in for a gRPC call whose client reads only when told to. */
    private static final class SlowClient extends ServerCallStreamObserver<RunEvent> {
        final List<RunEvent> received = new ArrayList<>();
        final AtomicBoolean ready = new AtomicBoolean();
        Runnable onReady = () -> {};
        boolean completed;

        void becomeReady() {
            ready.set(true);
            onReady.run();
        }

        @Override
        public boolean isReady() {
            return ready.get();
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void onNext(RunEvent value) {
            received.add(value);
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {}

        @Override
        public void setCompression(String compression) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void request(int count) {}

        @Override
        public void setMessageCompression(boolean enable) {}
    }

    private static RunEvent.Builder step(long n) {
        return RunEvent.newBuilder().setStep(TrainMetrics.newBuilder().setStep(n));
    }

    @Test
    void aStalledWatcherCostsTheWriterNothingAndContinuesAtTheOldestKeptEvent() {
        EventLog log = new EventLog(100);
        SlowClient client = new SlowClient();
        boolean[] done = {false};
        EventStream stream = new EventStream(log, client, 0, INLINE, () -> done[0] = true);
        log.onAppend(stream::wake);

        for (int i = 1; i <= 10_000; i++) {
            log.append(step(i), false);
        }
        assertThat(client.received)
                .as("nothing is sent while the client is not ready")
                .isEmpty();
        assertThat(stream.caughtUp()).isFalse();

        client.becomeReady();
        assertThat(client.received).hasSize(100);
        assertThat(client.received.get(0).getSequence())
                .as("the oldest event still kept")
                .isEqualTo(9_901);
        assertThat(client.received.get(99).getSequence()).isEqualTo(10_000);
        assertThat(stream.caughtUp()).isTrue();

        log.append(RunEvent.newBuilder().setPhase(PhaseChange.newBuilder().setPhase(Phase.PHASE_SUCCEEDED)), true);
        assertThat(client.received).hasSize(101);
        assertThat(client.completed)
                .as("the stream ends after the terminal event")
                .isTrue();
        assertThat(done[0]).isTrue();
    }

    @Test
    void aReconnectingWatcherGetsExactlyTheEventsAfterItsSequenceNumber() {
        EventLog log = new EventLog(100);
        for (int i = 1; i <= 30; i++) {
            log.append(step(i), false);
        }
        SlowClient client = new SlowClient();
        client.ready.set(true);
        EventStream stream = new EventStream(log, client, 25, INLINE, () -> {});
        stream.wake();
        assertThat(client.received).extracting(RunEvent::getSequence).containsExactly(26L, 27L, 28L, 29L, 30L);
        assertThat(client.received).allMatch(e -> e.getStreamId().equals(log.streamId()));
        assertThat(client.completed).isFalse();
    }
}
