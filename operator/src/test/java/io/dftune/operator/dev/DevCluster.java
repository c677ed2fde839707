package io.dftune.operator.dev;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/dev-operator}: a {@link MockCluster} whose trainer pods run as local trainer
 * processes, the packaged operator pointed at it, the FineTuneJob applied, and its status printed
 * whenever it changes, until it finishes.
 *
 * <p>Arguments: api-port trainer-port operator-port operator-jar status-interval work-dir crd-file
 * manifest claim=dir... (an empty dir: an empty claim).
 */
public final class DevCluster {
    private DevCluster() {}

    public static void main(String[] args) throws Exception {
        int apiPort = Integer.parseInt(args[0]);
        int trainerPort = Integer.parseInt(args[1]);
        int operatorPort = Integer.parseInt(args[2]);
        Path operatorJar = Path.of(args[3]);
        String statusInterval = args[4];
        Path work = Path.of(args[5]);
        Path crd = Path.of(args[6]);
        Path manifest = Path.of(args[7]);

        // Ctrl-C: no operator or trainer process outlives this one.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
        Phase finished;
        try (MockCluster cluster = MockCluster.start(apiPort, work, crd)) {
            for (int i = 8; i < args.length; i++) {
                String[] claim = args[i].split("=", 2);
                cluster.claim(claim[0], claim[1].isEmpty() ? null : Path.of(claim[1]));
            }
            cluster.startKubelet(trainerPort);
            System.out.println("dev-operator: mock API server on " + cluster.url() + "; trainer pods run as local "
                    + "processes on port " + trainerPort + " (logs in " + work.resolve("pods") + ")");
            try (OperatorProcess operator = OperatorProcess.start(
                    operatorJar,
                    cluster,
                    "512m",
                    operatorPort,
                    Map.of(
                            "DFTUNE_TRAINER_ADDRESS",
                            "localhost:" + trainerPort,
                            "DFTUNE_STATUS_INTERVAL",
                            statusInterval),
                    work.resolve("operator.log"))) {
                System.out.println("dev-operator: operator started (log " + operator.log()
                        + ", metrics http://localhost:" + operatorPort + "/q/metrics)");
                finished = follow(cluster.client(), manifest);
            }
        }
        System.exit(finished == Phase.Succeeded ? 0 : 1);
    }

    /** Applies the manifest and prints its status whenever it changes, until the job finishes. */
    private static Phase follow(KubernetesClient client, Path manifest) throws Exception {
        FineTuneJob job;
        try (InputStream in = Files.newInputStream(manifest)) {
            job = client.resource(client.getKubernetesSerialization().unmarshal(in, FineTuneJob.class))
                    .create();
        }
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        System.out.println("dev-operator: applied FineTuneJob " + ns + "/" + name + " from " + manifest);

        String last = null;
        FineTuneJobStatus status = null;
        while (status == null || status.phase == null || !status.phase.isFinished()) {
            FineTuneJob current = client.resources(FineTuneJob.class)
                    .inNamespace(ns)
                    .withName(name)
                    .get();
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
        return status.phase;
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
            b.append(String.format(
                    " loss %.4g nll %.4g p %.3f %.0f tok/s",
                    s.metrics.loss, s.metrics.nll, s.metrics.meanTargetProb, s.metrics.tokensPerSecond));
        }
        if (s.checkpoint != null) {
            b.append(" checkpoint ").append(s.checkpoint.name);
        }
        b.append(" restarts ").append(s.restarts);
        return b.toString();
    }
}
