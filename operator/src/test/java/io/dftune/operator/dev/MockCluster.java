package io.dftune.operator.dev;

import io.dftune.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * A cluster without Kubernetes, for a packaged operator in another process: Fabric8's mock API
 * server (CRUD) on a local port with the FineTuneJob CRD installed, claims as folders under the
 * work directory, and optionally a {@link FakeKubelet} that runs each trainer pod as a local
 * trainer process. Used by {@code bin/dev-operator} and the operator benchmarks.
 */
public final class MockCluster implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path work;
    private FakeKubelet kubelet;

    private MockCluster(KubernetesMockServer server, Path work) {
        this.server = server;
        this.client = server.createClient();
        this.work = work;
    }

    /** Starts the API server on {@code apiPort} (0: any free port) and installs the CRD file. */
    public static MockCluster start(int apiPort, Path work, Path crd) throws IOException {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), apiPort);
        MockCluster cluster = new MockCluster(server, work);
        try (InputStream in = Files.newInputStream(crd)) {
            cluster.client
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .create();
        }
        Files.createDirectories(work.resolve("pvc"));
        return cluster;
    }

    /** The API server's URL, for the operator's {@code KUBERNETES_MASTER}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public KubernetesClient client() {
        return client;
    }

    public Path work() {
        return work;
    }

    /** Makes the claim {@code name} show {@code source}'s files, or an empty folder when source is null. */
    public void claim(String name, Path source) throws IOException {
        Path mount = work.resolve("pvc").resolve(name);
        if (source == null) {
            Files.createDirectories(mount);
        } else if (!Files.exists(mount)) {
            Files.createSymbolicLink(mount, source.toAbsolutePath());
        }
    }

    /** Runs trainer pods as local processes, every one on {@code trainerPort} (one at a time). */
    public FakeKubelet startKubelet(int trainerPort) {
        kubelet = new FakeKubelet(client, work, trainerPort).start();
        return kubelet;
    }

    @Override
    public void close() {
        if (kubelet != null) {
            kubelet.close();
        }
        client.close();
        server.destroy();
    }
}
