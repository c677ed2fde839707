package io.dftune.trainer.service;

import io.dftune.proto.v1.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The run's events in a bounded ring buffer. The training thread appends (constant time, never
 * waits for a reader); readers copy out what follows a sequence number. When the buffer is full
 * the oldest events are overwritten, so a reader that falls too far behind sees a gap.
 */
public final class EventLog {
    private final String streamId = UUID.randomUUID().toString();
    private final RunEvent[] ring;
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    private long lastSequence;
    private long finalSequence = Long.MAX_VALUE;

    public EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event buffer capacity must be >= 1, got " + capacity);
        }
        ring = new RunEvent[capacity];
    }

    public String streamId() {
        return streamId;
    }

    /** Stamps the event with the next sequence number and the time, stores it, wakes readers. */
    public RunEvent append(RunEvent.Builder event, boolean terminal) {
        RunEvent stored;
        synchronized (this) {
            stored = event.setSequence(lastSequence + 1)
                    .setStreamId(streamId)
                    .setTime(ProtoMessages.timestamp(Instant.now()))
                    .build();
            lastSequence++;
            ring[(int) (lastSequence % ring.length)] = stored;
            if (terminal) {
                finalSequence = lastSequence;
            }
        }
        appendListeners.forEach(Runnable::run);
        return stored;
    }

    public synchronized long lastSequence() {
        return lastSequence;
    }

    /** True once the event that ends the run has been appended and {@code afterSequence} is at or past it. */
    public synchronized boolean endedBefore(long afterSequence) {
        return afterSequence >= finalSequence;
    }

    /** Up to {@code max} events with a sequence number above {@code afterSequence}, oldest first. */
    public synchronized List<RunEvent> after(long afterSequence, int max) {
        long oldest = Math.max(1, lastSequence - ring.length + 1);
        long from = Math.max(afterSequence + 1, oldest);
        List<RunEvent> events = new ArrayList<>();
        for (long s = from; s <= lastSequence && events.size() < max; s++) {
            events.add(ring[(int) (s % ring.length)]);
        }
        return events;
    }

    /** Called after every append, on the appending thread: must not block. */
    public void onAppend(Runnable listener) {
        appendListeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        appendListeners.remove(listener);
    }
}
