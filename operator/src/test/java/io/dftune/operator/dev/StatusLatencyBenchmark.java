package io.dftune.operator.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.dependent.AuthSecretDependent;
import io.dftune.operator.testing.Ports;
import io.dftune.operator.watch.BearerToken;
import io.dftune.proto.v1.Phase;
import io.dftune.proto.v1.RunEvent;
import io.dftune.proto.v1.TrainerGrpc;
import io.dftune.proto.v1.WatchRunRequest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Status latency, run by {@code bench/run}: the packaged operator (its own process, -Xmx256m, the chart's JVM options)
 * follows a real trainer process running the bundled example on a {@link MockCluster}; this
 * process subscribes to the same trainer's event stream and watches the FineTuneJob, and measures
 * for every step event the time until a status showing that step (or a later one) arrives.
 *
 * <p>Arguments: out.json operator-jar crd-file examples-dir status-interval max-steps
 */
public final class StatusLatencyBenchmark {
    private static final String NAMESPACE = "default";
    private static final String NAME = "latency";
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final Set<Phase> FINAL_PHASES =
            EnumSet.of(Phase.PHASE_SUCCEEDED, Phase.PHASE_FAILED, Phase.PHASE_CANCELLED);

    private StatusLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path operatorJar = Path.of(args[1]);
        Path crd = Path.of(args[2]);
        Path examples = Path.of(args[3]);
        Duration interval = Duration.parse("PT" + args[4].toUpperCase());
        int maxSteps = Integer.parseInt(args[5]);

        Path work = Files.createTempDirectory("dftune-status-latency");
        int trainerPort = Ports.free();
        List<StatusLatencies.StepEvent> events = new CopyOnWriteArrayList<>();
        List<StatusLatencies.StatusSeen> statuses = new CopyOnWriteArrayList<>();
        FineTuneJobStatus last;
        try (MockCluster cluster = MockCluster.start(0, work, crd)) {
            cluster.claim("dftune-examples", examples);
            cluster.claim("dftune-runs", null);
            cluster.startKubelet(trainerPort);
            KubernetesClient client = cluster.client();
            try (OperatorProcess operator = OperatorProcess.start(
                            operatorJar,
                            cluster,
                            "256m",
                            0,
                            Map.of(
                                    "DFTUNE_TRAINER_ADDRESS",
                                    "localhost:" + trainerPort,
                                    "DFTUNE_STATUS_INTERVAL",
                                    args[4]),
                            work.resolve("operator.log"));
                    Watch watch = client.resources(FineTuneJob.class)
                            .inNamespace(NAMESPACE)
                            .withName(NAME)
                            .watch(recorder(statuses))) {
                client.resource(job(client, examples.resolve("arithmetic/finetunejob.yaml"), maxSteps))
                        .create();
                Thread follower = new Thread(() -> followTrainer(client, trainerPort, events), "trainer-events");
                follower.setDaemon(true);
                follower.start();
                last = awaitFinished(client);
                follower.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        write(out, interval, maxSteps, last, events, statuses);
        System.exit(0);
    }

    private static FineTuneJob job(KubernetesClient client, Path manifest, int maxSteps) throws IOException {
        FineTuneJob job = client.getKubernetesSerialization().unmarshal(Files.readString(manifest), FineTuneJob.class);
        job.getMetadata().setName(NAME);
        job.getMetadata().setNamespace(NAMESPACE);
        job.getSpec().getTraining().setMaxSteps(maxSteps);
        job.getSpec().getOutput().setPath("pvc://dftune-runs/" + NAME);
        return job;
    }

    private static Watcher<FineTuneJob> recorder(List<StatusLatencies.StatusSeen> statuses) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, FineTuneJob job) {
                Instant now = Instant.now();
                FineTuneJobStatus status = job.getStatus();
                if (status != null && status.progress != null) {
                    statuses.add(new StatusLatencies.StatusSeen(now, status.progress.step));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                throw new IllegalStateException("the FineTuneJob watch closed", cause);
            }
        };
    }

    /** Subscribes to the trainer's events (replayed from the start), reconnecting until the run ends. */
    private static void followTrainer(KubernetesClient client, int port, List<StatusLatencies.StepEvent> events) {
        String token = AuthSecretDependent.token(awaitSecret(client));
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port)
                .usePlaintext()
                .build();
        TrainerGrpc.TrainerBlockingStub trainer =
                TrainerGrpc.newBlockingStub(channel).withInterceptors(BearerToken.of(token));
        String streamId = "";
        long sequence = 0;
        boolean finished = false;
        try {
            while (!finished) {
                try {
                    Iterator<RunEvent> stream = trainer.watchRun(WatchRunRequest.newBuilder()
                            .setStreamId(streamId)
                            .setAfterSequence(sequence)
                            .build());
                    while (stream.hasNext()) {
                        RunEvent event = stream.next();
                        streamId = event.getStreamId();
                        sequence = event.getSequence();
                        if (event.hasStep()) {
                            events.add(new StatusLatencies.StepEvent(
                                    event.getStep().getStep(),
                                    Instant.ofEpochSecond(
                                            event.getTime().getSeconds(),
                                            event.getTime().getNanos())));
                        }
                        finished |= event.hasPhase()
                                && FINAL_PHASES.contains(event.getPhase().getPhase());
                    }
                } catch (StatusRuntimeException e) {
                    TimeUnit.MILLISECONDS.sleep(100); // the trainer is not listening yet, or the stream broke
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.shutdownNow();
        }
    }

    private static Secret awaitSecret(KubernetesClient client) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Secret secret = client.secrets()
                    .inNamespace(NAMESPACE)
                    .withName(ResourceNames.authSecret(NAME))
                    .get();
            if (secret != null) {
                return secret;
            }
            sleep(100);
        }
        throw new IllegalStateException("the operator made no auth Secret");
    }

    private static FineTuneJobStatus awaitFinished(KubernetesClient client) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            FineTuneJob job = client.resources(FineTuneJob.class)
                    .inNamespace(NAMESPACE)
                    .withName(NAME)
                    .get();
            if (job.getStatus() != null
                    && job.getStatus().phase != null
                    && job.getStatus().phase.isFinished()) {
                return job.getStatus();
            }
            sleep(500);
        }
        throw new IllegalStateException("the job did not finish in " + TIMEOUT);
    }

    private static void write(
            Path out,
            Duration interval,
            int maxSteps,
            FineTuneJobStatus last,
            List<StatusLatencies.StepEvent> events,
            List<StatusLatencies.StatusSeen> statuses)
            throws IOException {
        List<Duration> latencies = StatusLatencies.of(events, statuses);
        ObjectMapper json = new ObjectMapper();
        ObjectNode r = json.createObjectNode();
        r.put("status_interval_seconds", interval.toMillis() / 1000.0);
        r.put("max_steps", maxSteps);
        r.put("phase", String.valueOf(last.phase));
        r.put("step_events", events.size());
        r.put("status_updates", statuses.size());
        r.put("measured", latencies.size());
        if (!latencies.isEmpty()) {
            for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
                r.put(
                        "p" + Math.round(q * 100),
                        StatusLatencies.quantile(latencies, q).toMillis() / 1000.0);
            }
        }
        ArrayNode seconds = r.putArray("latencies_seconds");
        latencies.forEach(d -> seconds.add(d.toMillis() / 1000.0));
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
