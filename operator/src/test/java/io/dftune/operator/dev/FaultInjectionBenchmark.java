package io.dftune.operator.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.FineTuneJobStatus;
import io.dftune.operator.api.Phase;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.testing.FakeKubelet;
import io.dftune.operator.testing.JobLedger;
import io.dftune.operator.testing.Ports;
import io.dftune.operator.testing.TestJobs;
import io.dftune.spec.run.RunDirectory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fault injection, run by {@code bench/run}: FineTuneJobs through their whole lives (success,
 * crash and resume, preemption and resume, suspend and resume, deletion mid-run) against the
 * packaged operator, with real trainer processes on the tiny model ({@link FakeKubelet}), while
 * <ul>
 *   <li>the operator is SIGKILLed and restarted at random moments,
 *   <li>its API requests pass a proxy ({@link ApiProxy}) that answers a share of writes with 500
 *       (half of them applied first) and a share of status updates with 409, and cuts every
 *       watch every 10 s,
 *   <li>trainer pods are killed mid-run (SIGKILL: a crash; SIGTERM: a preemption).
 * </ul>
 * Every trainer Job created is recorded ({@link JobLedger}). At the end every FineTuneJob left is
 * deleted too, with the faults still on. Checked: each reaches its right end (Succeeded, or gone
 * with nothing it owned left), restarts and failures are counted right, each got exactly the
 * trainer Jobs its life calls for, and never was a trainer Job made while a pod of an earlier
 * one of the same FineTuneJob had not ended.
 *
 * <p>Each FineTuneJob's trainer listens on its own loopback address; the operator finds it by the
 * Service's DNS name through a hosts file ({@code jdk.net.hosts.file}), as in a cluster.
 *
 * <p>Arguments: out.json operator-jar crd-file jobs operator-kills seed
 */
public final class FaultInjectionBenchmark {
    private static final String NAMESPACE = TestJobs.NAMESPACE;
    private static final int AT_ONCE = 4;
    private static final double WRITE_ERRORS = 0.05;
    private static final double STATUS_CONFLICTS = 0.10;
    private static final Duration WATCH_CUTS = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(45);

    /** How a FineTuneJob lives, and what that must come to. */
    enum Life {
        SUCCEED(200, 0, 0, 0, 1),
        CRASH(600, 50, 1, 1, 2),
        PREEMPT(600, 50, 1, 0, 2),
        SUSPEND(600, 50, 0, 0, 2),
        DELETE(5000, 0, 0, 0, 1);

        final int maxSteps;
        final int checkpointEvery;
        final int restarts;
        final int failures;
        final int trainerJobs;

        Life(int maxSteps, int checkpointEvery, int restarts, int failures, int trainerJobs) {
            this.maxSteps = maxSteps;
            this.checkpointEvery = checkpointEvery;
            this.restarts = restarts;
            this.failures = failures;
            this.trainerJobs = trainerJobs;
        }
    }

    private enum Stage {
        NEW,
        RUNNING,
        SUSPENDED,
        DELETING,
        DONE
    }

    /** One FineTuneJob and where its life stands. */
    private static final class Case {
        final String name;
        final Life life;
        final String host;
        Stage stage = Stage.NEW;
        boolean acted;
        long createdNanos;
        double seconds;
        FineTuneJobStatus finalStatus;
        final List<String> problems = new ArrayList<>();

        Case(String name, Life life, String host) {
            this.name = name;
            this.life = life;
            this.host = host;
        }
    }

    private final KubernetesClient client;
    private final TestJobs jobs;
    private final FakeKubelet kubelet;
    private final GarbageCollector collector;
    private int trainerKills;

    private FaultInjectionBenchmark(KubernetesClient client, FakeKubelet kubelet, GarbageCollector collector) {
        this.client = client;
        this.jobs = new TestJobs(client);
        this.kubelet = kubelet;
        this.collector = collector;
    }

    /** Creates the case's FineTuneJob; the API server may be slow, so it tries again next round on errors. */
    private void create(Case c) {
        try {
            jobs.create(jobs.parse(TestJobs.manifest(c.name, c.life.maxSteps, c.life.checkpointEvery)));
            c.createdNanos = System.nanoTime();
            c.stage = Stage.RUNNING;
        } catch (KubernetesClientException e) {
            // next round
        }
    }

    /** Moves a case's life on by what it sees now: the user's and the kubelet's part. */
    private void step(Case c) {
        try {
            FineTuneJob job = jobs.get(c.name);
            FineTuneJobStatus status = job == null || job.getStatus() == null ? null : job.getStatus();
            Phase phase = status == null ? null : status.phase;
            if (c.stage == Stage.DELETING) {
                if (job == null && leftovers(c.name).isEmpty()) {
                    finish(c, null);
                }
                return;
            }
            if (phase == Phase.Succeeded || (phase == Phase.Failed && !"InvalidSpec".equals(status.reason))) {
                check(c, status);
                finish(c, status);
                return;
            }
            boolean running = kubelet.isRunning(NAMESPACE, c.name);
            switch (c.life) {
                case SUCCEED -> {}
                case CRASH, PREEMPT -> {
                    if (!c.acted && running && hasCheckpoint(c.name)) {
                        if (c.life == Life.CRASH) {
                            kubelet.crash(NAMESPACE, c.name);
                        } else {
                            kubelet.preempt(NAMESPACE, c.name);
                        }
                        c.acted = true;
                        trainerKills++;
                    }
                }
                case SUSPEND -> {
                    if (!c.acted && running && hasCheckpoint(c.name)) {
                        jobs.setSuspend(c.name, true);
                        c.acted = true;
                        c.stage = Stage.SUSPENDED;
                    } else if (c.stage == Stage.SUSPENDED && phase == Phase.Suspended) {
                        // At once, while the stopped pod may still be writing its checkpoint: the new
                        // trainer Job must wait for it.
                        jobs.setSuspend(c.name, false);
                        c.stage = Stage.RUNNING;
                    }
                }
                case DELETE -> {
                    if (running) {
                        client.resources(FineTuneJob.class)
                                .inNamespace(NAMESPACE)
                                .withName(c.name)
                                .delete();
                        c.stage = Stage.DELETING;
                    }
                }
            }
        } catch (KubernetesClientException | IllegalStateException | IOException e) {
            // a race with the kubelet or the API server: next round
        }
    }

    private void finish(Case c, FineTuneJobStatus status) {
        c.finalStatus = status;
        c.seconds = (System.nanoTime() - c.createdNanos) / 1e9;
        c.stage = Stage.DONE;
    }

    /** Whether the FineTuneJob ended as its life says it must. */
    private static void check(Case c, FineTuneJobStatus status) {
        if (c.life == Life.DELETE) {
            c.problems.add("ended " + status.phase + " before it could be deleted mid-run");
            return;
        }
        if (status.phase != Phase.Succeeded) {
            c.problems.add("ended " + status.phase + "/" + status.reason + ": " + status.message);
        }
        if (c.life != Life.SUCCEED && !c.acted) {
            c.problems.add("finished before its trainer could be stopped mid-run");
        }
        if (status.restarts != c.life.restarts || status.failures != c.life.failures) {
            c.problems.add("restarts " + status.restarts + ", failures " + status.failures + "; expected "
                    + c.life.restarts + " and " + c.life.failures);
        }
        if (c.life != Life.SUCCEED && (status.resumedFromStep == null || status.resumedFromStep <= 0)) {
            c.problems.add("the last trainer did not resume from a checkpoint (" + status.resumedFromStep + ")");
        }
    }

    private boolean hasCheckpoint(String name) throws IOException {
        Path checkpoints = new RunDirectory(kubelet.claim(TestJobs.RUNS).resolve(name)).checkpoints();
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.anyMatch(p -> RunDirectory.checkpointStep(p).isPresent());
        }
    }

    private void deleteAll() {
        try {
            client.resources(FineTuneJob.class).inNamespace(NAMESPACE).delete();
        } catch (KubernetesClientException e) {
            // awaitNothingLeft reports what stayed
        }
    }

    /** What is left of a FineTuneJob (all of them: null): itself, objects with its label, pods. */
    private List<String> leftovers(String name) {
        List<String> left = new ArrayList<>();
        client.resources(FineTuneJob.class).inNamespace(NAMESPACE).list().getItems().stream()
                .filter(j -> name == null || j.getMetadata().getName().equals(name))
                .forEach(j -> left.add("FineTuneJob/" + j.getMetadata().getName()));
        collector.owned().stream()
                .filter(o ->
                        name == null || name.equals(o.getMetadata().getLabels().get(ResourceNames.LABEL_JOB)))
                .forEach(o -> left.add(o.getKind() + "/" + o.getMetadata().getName()));
        client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p ->
                        name == null || name.equals(p.getMetadata().getLabels().get(ResourceNames.LABEL_JOB)))
                .forEach(p -> left.add("Pod/" + p.getMetadata().getName()));
        return left;
    }

    private List<String> leftovers() {
        return leftovers(null);
    }

    private boolean awaitNothingLeft(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (leftovers().isEmpty()) {
                    return true;
                }
            } catch (KubernetesClientException e) {
                // try again
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path operatorJar = Path.of(args[1]);
        Path crd = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        int operatorKills = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]);

        Random random = new Random(seed);
        Life[] lives = Life.values();
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Life life = lives[i % lives.length];
            cases.add(new Case(life.name().toLowerCase() + "-" + i, life, "127.0.1." + (i + 1)));
        }

        Path work = Files.createTempDirectory("dftune-faults");
        Path hosts = work.resolve("hosts");
        StringBuilder hostsFile = new StringBuilder("127.0.0.1 localhost\n");
        cases.forEach(c -> hostsFile
                .append(c.host)
                .append(' ')
                .append(ResourceNames.trainer(c.name))
                .append('.')
                .append(NAMESPACE)
                .append(".svc\n"));
        Files.writeString(hosts, hostsFile);
        Map<String, String> hostOf = new HashMap<>();
        cases.forEach(c -> hostOf.put(c.name, c.host));
        int trainerPort = Ports.free();

        ObjectMapper json = new ObjectMapper();
        ObjectNode r = json.createObjectNode();
        List<Double> killedAt = new ArrayList<>();
        ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        try (MockCluster cluster = MockCluster.start(0, work, crd);
                ApiProxy proxy = ApiProxy.start(
                        cluster.url(), new ApiProxy.Faults(WRITE_ERRORS, STATUS_CONFLICTS, seed), (m, u) -> {});
                JobLedger ledger = new JobLedger(cluster.client());
                GarbageCollector collector = new GarbageCollector(cluster.client(), NAMESPACE)) {
            FakeKubelet kubelet = cluster.startKubelet(trainerPort, (ns, name) -> hostOf.get(name));
            TestJobs.writeModel(kubelet);
            Map<String, String> settings = new HashMap<>();
            settings.put("DFTUNE_TRAINER_ADDRESS", "{name}-trainer.{namespace}.svc:" + trainerPort);
            settings.put("DFTUNE_STATUS_INTERVAL", "1s");
            settings.put(
                    "JAVA_TOOL_OPTIONS",
                    OperatorProcess.chartJavaToolOptions(operatorJar) + " -Djdk.net.hosts.file=" + hosts);
            Path log = work.resolve("operator.log");
            OperatorProcess operator = OperatorProcess.start(operatorJar, proxy.url(), "256m", 0, settings, log);
            cutter.scheduleAtFixedRate(
                    proxy::cutWatches, WATCH_CUTS.toMillis(), WATCH_CUTS.toMillis(), TimeUnit.MILLISECONDS);

            // The operator dies when this many FineTuneJobs have ended, a random moment later; never so
            // late that nothing runs any more.
            TreeSet<Integer> killWhenDone = new TreeSet<>();
            int latest = Math.max(1, count - AT_ONCE - 1);
            while (killWhenDone.size() < Math.min(operatorKills, latest)) {
                killWhenDone.add(1 + random.nextInt(latest));
            }
            FaultInjectionBenchmark bench = new FaultInjectionBenchmark(cluster.client(), kubelet, collector);
            long deadline = start + TIMEOUT.toNanos();
            long killAt = Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                long active = cases.stream()
                        .filter(c -> c.stage != Stage.NEW && c.stage != Stage.DONE)
                        .count();
                for (Case c : cases) {
                    if (c.stage == Stage.NEW && active < AT_ONCE) {
                        bench.create(c);
                        active++;
                    } else if (c.stage != Stage.NEW && c.stage != Stage.DONE) {
                        bench.step(c);
                    }
                }
                long done = cases.stream().filter(c -> c.stage == Stage.DONE).count();
                if (done == count) {
                    break;
                }
                if (killAt == Long.MAX_VALUE && !killWhenDone.isEmpty() && done >= killWhenDone.first()) {
                    killWhenDone.pollFirst();
                    killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(10_000));
                }
                if (System.nanoTime() >= killAt) {
                    operator.kill();
                    killedAt.add((System.nanoTime() - start) / 1e9);
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(3000));
                    operator = OperatorProcess.start(operatorJar, proxy.url(), "256m", 0, settings, log);
                    killAt = Long.MAX_VALUE;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            double livesSeconds = (System.nanoTime() - start) / 1e9;

            // Then every FineTuneJob still there is deleted, with the faults still on.
            bench.deleteAll();
            long cleanupStart = System.nanoTime();
            boolean cleanedUp = bench.awaitNothingLeft(Duration.ofMinutes(5));
            double cleanupSeconds = (System.nanoTime() - cleanupStart) / 1e9;
            cutter.shutdownNow();

            List<String> problems = new ArrayList<>();
            for (Case c : cases) {
                c.problems.forEach(p -> problems.add(c.name + ": " + p));
                if (c.stage != Stage.DONE) {
                    problems.add(c.name + ": did not finish (" + c.stage + ")");
                }
                int made = ledger.created(c.name).size();
                if (made != c.life.trainerJobs) {
                    problems.add(c.name + ": " + made + " trainer Jobs created, " + c.life.trainerJobs + " expected");
                }
            }
            ledger.overlaps().forEach(o -> problems.add("two trainers at once: " + o));
            if (!cleanedUp) {
                problems.add("after deleting every FineTuneJob, left: " + bench.leftovers());
            }
            int liveness = operator.liveness();
            if (liveness != 200) {
                problems.add("the operator is not live at the end (" + liveness + ")");
            }
            operator.close();

            ApiProxy.Injected injected = proxy.injected();
            r.put("jobs", count);
            r.put("at_once", AT_ONCE);
            r.put("seed", seed);
            ObjectNode byLife = r.putObject("lives");
            for (Life life : lives) {
                byLife.put(
                        life.name().toLowerCase(),
                        cases.stream().filter(c -> c.life == life).count());
            }
            r.put("lives_seconds", livesSeconds);
            r.put("cleanup_seconds", cleanupSeconds);
            r.put("operator_kills", killedAt.size());
            ArrayNode at = r.putArray("operator_killed_at_seconds");
            killedAt.forEach(at::add);
            r.put("trainer_kills", bench.trainerKills);
            r.put("api_requests", injected.requests());
            r.put("write_errors_before", injected.errorsBefore());
            r.put("write_errors_after", injected.errorsAfter());
            r.put("status_conflicts", injected.conflicts());
            r.put("watches_cut", injected.watchesCut());
            r.put("watches_expired", injected.watchesExpired());
            r.put("faults_total", injected.total() + killedAt.size() + bench.trainerKills);
            r.put("trainer_jobs_created", ledger.created().size());
            r.put("objects_collected", collector.collected());
            r.put("write_error_share", WRITE_ERRORS);
            r.put("status_conflict_share", STATUS_CONFLICTS);
            r.put("watch_cut_seconds", WATCH_CUTS.toSeconds());
            r.put("passed", problems.isEmpty());
            ArrayNode list = r.putArray("problems");
            problems.forEach(list::add);
            ArrayNode perJob = r.putArray("cases");
            for (Case c : cases) {
                FineTuneJobStatus status = c.finalStatus;
                ObjectNode n = perJob.addObject();
                n.put("name", c.name);
                n.put("life", c.life.name().toLowerCase());
                n.put("seconds", c.seconds);
                n.put("trainer_jobs", ledger.created(c.name).size());
                if (status != null) {
                    n.put("phase", String.valueOf(status.phase));
                    n.put("restarts", status.restarts);
                    n.put("failures", status.failures);
                }
            }
        } finally {
            cutter.shutdownNow();
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
        System.exit(0);
    }
}
