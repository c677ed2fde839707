package io.dftune.operator.health;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Informers that stopped for good. Fabric8 stops an informer after an error it does not retry
 * (say, a watch event it cannot read); a stopped informer never starts again, and the operator
 * would go on without its events. The Quarkus operator SDK hands every stop to this bean; one
 * with an error makes the operator not live ({@link InformersLive}), so Kubernetes restarts it and
 * the new process starts with fresh informers. Stops without an error (the operator shutting down)
 * are not failures.
 */
@Singleton
public class StoppedInformers implements InformerStoppedHandler {
    private static final Logger LOG = Logger.getLogger(StoppedInformers.class);

    /** Informer (its resource type) -> the error it stopped with. */
    private final Map<String, String> failed = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("rawtypes")
    public void onStop(SharedIndexInformer informer, Throwable error) {
        if (error == null) {
            return;
        }
        String name = informer.getApiTypeClass().getSimpleName() + " informer";
        LOG.errorf(error, "%s stopped and will not restart: the operator reports itself not live", name);
        failed.put(name, String.valueOf(error.getMessage()));
    }

    /** Informer -> the error it stopped with. */
    public Map<String, String> failed() {
        return Map.copyOf(failed);
    }
}
