package io.dftune.operator.dev;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.testing.FakeKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The cluster side of {@code bin/dev-operator}: a Fabric8 mock API server (CRUD) with the
 * FineTuneJob CRD, a {@link FakeKubelet} that runs each trainer pod as a local trainer process,
 * the example FineTuneJob applied, and its status printed whenever it changes, until it finishes.
 *
 * <p>Arguments: api-port trainer-port work-dir crd-file manifest claim=dir...
 */
public final class DevCluster {
    private DevCluster() {
    }

    public static void main(String[] args) throws Exception {
        int apiPort = Integer.parseInt(args[0]);
        int trainerPort = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        Path crd = Path.of(args[3]);
        Path manifest = Path.of(args[4]);

        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), apiPort);
        KubernetesClient client = server.createClient();
        try (InputStream in = new FileInputStream(crd.toFile())) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
        Files.createDirectories(work.resolve("pvc"));
        for (int i = 5; i < args.length; i++) {
            String[] claim = args[i].split("=", 2);
            Path mount = work.resolve("pvc").resolve(claim[0]);
            if (claim[1].isEmpty()) {
                Files.createDirectories(mount);
            } else if (!Files.exists(mount)) {
                Files.createSymbolicLink(mount, Path.of(claim[1]).toAbsolutePath());
            }
        }
        FakeKubelet kubelet = new FakeKubelet(client, work, trainerPort).start();
        System.out.println("dev-operator: mock API server on http://localhost:" + apiPort
                + "; trainer pods run as local processes on port " + trainerPort + " (logs in " + work.resolve("pods") + ")");

        FineTuneJob job;
        try (InputStream in = new FileInputStream(manifest.toFile())) {
            job = client.resource(client.getKubernetesSerialization().unmarshal(in, FineTuneJob.class)).create();
        }
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        System.out.println("dev-operator: applied FineTuneJob " + ns + "/" + name + " from " + manifest);

        String last = null;
        FineTuneJobStatus status = null;
        while (status == null || status.phase == null || !status.phase.isFinished()) {
            FineTuneJob current = client.resources(FineTuneJob.class).inNamespace(ns).withName(name).get();
            status = current.getStatus();
            String line = line(status);
            if (!Objects.equals(line, last)) {
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + name + "  " + line);
                last = line;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        System.out.println("dev-operator: final status:");
        System.out.println(client.getKubernetesSerialization().asYaml(status));
        kubelet.close();
        server.destroy();
        System.exit(status.phase == io.dftune.operator.api.Phase.Succeeded ? 0 : 1);
    }

    /** Roughly what {@code kubectl get ftj} shows, and a little more. */
    private static String line(FineTuneJobStatus s) {
        if (s == null || s.phase == null) {
            return "(no status yet: is the operator up?)";
        }
        StringBuilder b = new StringBuilder(String.format("%-9s %-18s", s.phase, s.reason));
        if (s.progress != null) {
            b.append(String.format(" step %d/%d (%d%%)", s.progress.step, s.progress.totalSteps, s.progress.percent));
            if (s.progress.etaSeconds != null) {
                b.append(" eta ").append(s.progress.etaSeconds).append('s');
            }
        }
        if (s.metrics != null && s.metrics.loss != null) {
            b.append(String.format(" loss %.4g nll %.4g p %.3f %.0f tok/s", s.metrics.loss, s.metrics.nll,
                    s.metrics.meanTargetProb, s.metrics.tokensPerSecond));
        }
        if (s.checkpoint != null) {
            b.append(" checkpoint ").append(s.checkpoint.name);
        }
        b.append(" restarts ").append(s.restarts);
        return b.toString();
    }
}
