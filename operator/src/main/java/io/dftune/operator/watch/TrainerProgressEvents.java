package io.dftune.operator.watch;

import io.dftune.operator.api.FineTuneJob;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * The event source through which trainer progress triggers a reconciliation of its FineTuneJob,
 * which then writes the progress into the status. The snapshots themselves live in {@link
 * RunWatchers}; this source only says "look again".
 */
public class TrainerProgressEvents extends AbstractEventSource<RunSnapshot, FineTuneJob> {
    public static final String NAME = "trainer-progress";
    private final RunWatchers watchers;

    public TrainerProgressEvents(RunWatchers watchers) {
        super(RunSnapshot.class, NAME);
        this.watchers = watchers;
    }

    @Override
    public void start() {
        super.start();
        watchers.onProgress(this::fire);
    }

    void fire(ResourceID id) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(id));
        }
    }

    @Override
    public Set<RunSnapshot> getSecondaryResources(FineTuneJob primary) {
        return watchers.snapshot(ResourceID.fromResource(primary)).map(Set::of).orElse(Set.of());
    }
}
