package io.dftune.operator.watch;

import io.dftune.operator.config.OperatorConfig;
import io.grpc.ManagedChannelBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@link RunWatch} per running trainer pod, and the newest {@link RunSnapshot} of each
 * FineTuneJob. Progress reaches the reconciler through {@link #onProgress}, at most once per
 * {@code dftune.status-interval} per job (phase changes at once), so status writes stay rare
 * however fast the trainer steps.
 */
@Singleton
public class RunWatchers {
    private final TrainerAddresses addresses;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "dftune-run-watchers");
        t.setDaemon(true);
        return t;
    });
    private final Map<ResourceID, RunWatch> watches = new ConcurrentHashMap<>();
    private final Map<ResourceID, RunSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<ResourceID, Instant> lastNotified = new ConcurrentHashMap<>();
    private final Map<ResourceID, Boolean> notifyPending = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> listener = id -> {};

    public RunWatchers(TrainerAddresses addresses, OperatorConfig config) {
        this.addresses = addresses;
        this.interval = config.statusInterval();
    }

    /** Who hears about new progress (the reconciler's event source). */
    public void onProgress(Consumer<ResourceID> listener) {
        this.listener = listener;
    }

    /** Follows the trainer of pod {@code podUid} unless that pod is already followed. Returns at once. */
    public void watch(ResourceID id, String podUid, String token) {
        watches.compute(id, (key, current) -> {
            if (current != null && current.podUid().equals(podUid)) {
                return current;
            }
            if (current != null) {
                current.stop();
            }
            String address = addresses.address(id.getNamespace().orElseThrow(), id.getName());
            RunWatch watch = new RunWatch(
                    id.toString(),
                    podUid,
                    () -> ManagedChannelBuilder.forTarget(address)
                            .usePlaintext()
                            .build(),
                    token,
                    scheduler,
                    clock,
                    (snapshot, urgent) -> publish(id, snapshot, urgent));
            watch.start();
            return watch;
        });
    }

    /** Stops following the job's trainer (its pod ended or is gone); the last snapshot stays. */
    public void release(ResourceID id) {
        RunWatch watch = watches.remove(id);
        if (watch != null) {
            watch.stop();
        }
    }

    /** Forgets a deleted FineTuneJob. */
    public void forget(ResourceID id) {
        release(id);
        snapshots.remove(id);
        lastNotified.remove(id);
        notifyPending.remove(id);
    }

    public boolean isWatching(ResourceID id) {
        return watches.containsKey(id);
    }

    public Optional<RunSnapshot> snapshot(ResourceID id) {
        return Optional.ofNullable(snapshots.get(id));
    }

    private void publish(ResourceID id, RunSnapshot snapshot, boolean urgent) {
        RunWatch current = watches.get(id);
        if (current != null && !current.podUid().equals(snapshot.podUid())) {
            return; // a pod no longer followed
        }
        snapshots.put(id, snapshot);
        Instant now = clock.instant();
        Instant last = lastNotified.get(id);
        if (urgent || last == null || !now.isBefore(last.plus(interval))) {
            notifyNow(id);
        } else if (notifyPending.putIfAbsent(id, Boolean.TRUE) == null) {
            long delay = Duration.between(now, last.plus(interval)).toMillis();
            scheduler.schedule(
                    () -> {
                        notifyPending.remove(id);
                        notifyNow(id);
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void notifyNow(ResourceID id) {
        lastNotified.put(id, clock.instant());
        listener.accept(id);
    }

    @PreDestroy
    void close() {
        watches.values().forEach(RunWatch::stop);
        watches.clear();
        scheduler.shutdownNow();
    }
}
