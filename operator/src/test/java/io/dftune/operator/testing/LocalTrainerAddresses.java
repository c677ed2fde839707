package io.dftune.operator.testing;

import io.dftune.operator.watch.TrainerAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** In tests the trainers are local processes, each on its own port, registered by {@link FakeKubelet}. */
@ApplicationScoped
public class LocalTrainerAddresses implements TrainerAddresses {
    private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();

    static void register(String namespace, String name, int port) {
        ADDRESSES.put(namespace + "/" + name, "localhost:" + port);
    }

    @Override
    public String address(String namespace, String name) {
        // An unregistered job gets a port nothing listens on: the watcher keeps retrying.
        return ADDRESSES.getOrDefault(namespace + "/" + name, "localhost:1");
    }
}
