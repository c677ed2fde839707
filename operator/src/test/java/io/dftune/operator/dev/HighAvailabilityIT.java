package io.dftune.operator.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dftune.operator.api.FineTuneJob;
import io.dftune.operator.api.Phase;
import io.dftune.operator.rbac.ObservedGrants;
import io.dftune.operator.testing.JobLedger;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two packaged operators with leader election against one mock API server, each through its own
 * {@link ApiProxy} (so each one's requests are known, and recorded for {@code RbacIT}): only the
 * leader reconciles; SIGKILL it, and the other takes over within the lease duration and carries on,
 * and no FineTuneJob ever gets a second trainer Job.
 */
class HighAvailabilityIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path CRD = Path.of("target/kubernetes/finetunejobs.dftune.io-v1.yml");
    private static final String LEASE = "dftune-operator";
    private static final Duration LEASE_DURATION = Duration.ofSeconds(6);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

    private record Replica(String name, ApiProxy proxy, OperatorProcess process, List<String> writes) {}

    @Test
    void whenTheLeaderIsKilledTheOtherReplicaTakesOverWithinTheLeaseAndMakesNoSecondJob() throws Exception {
        Path work = Files.createTempDirectory("dftune-ha");
        ObservedGrants grants = new ObservedGrants();
        List<Replica> replicas = new ArrayList<>();
        try (MockCluster cluster = MockCluster.start(0, work, CRD);
                JobLedger ledger = new JobLedger(cluster.client())) {
            KubernetesClient client = cluster.client();
            TestJobs jobs = new TestJobs(client);
            for (String name : List.of("operator-a", "operator-b")) {
                replicas.add(replica(name, cluster, work, grants));
            }
            String leader = await().atMost(Duration.ofSeconds(60)).until(() -> holder(client), h -> h != null);
            Replica leading = replicas.stream()
                    .filter(r -> r.name().equals(leader))
                    .findFirst()
                    .orElseThrow();
            Replica standing =
                    replicas.stream().filter(r -> r != leading).findFirst().orElseThrow();

            IntStream.range(0, 6).forEach(i -> jobs.create(jobs.parse(TestJobs.manifest("before-" + i, 10, 0))));
            await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 6)
                    .allMatch(i -> jobs.trainerJob("before-" + i).isPresent()
                            && jobs.status("before-" + i).phase == Phase.Pending));
            assertThat(standing.writes())
                    .as("the standby reconciles nothing: it writes no object but the review of its lease rights")
                    .allMatch(w -> w.contains("/selfsubjectrulesreviews"));

            leading.process().kill();
            long killed = System.nanoTime();
            IntStream.range(0, 4).forEach(i -> jobs.create(jobs.parse(TestJobs.manifest("after-" + i, 10, 0))));
            await().atMost(LEASE_DURATION.multipliedBy(3))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> standing.name().equals(holder(client)));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf(
                    "leader %s killed; %s took the lease after %d ms (lease duration %d ms, retry period %d ms)%n",
                    leading.name(),
                    standing.name(),
                    takeover.toMillis(),
                    LEASE_DURATION.toMillis(),
                    RETRY_PERIOD.toMillis());
            // The leader renewed at most one retry period before it died; the other tries once per period.
            assertThat(takeover).isLessThanOrEqualTo(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)));

            await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, 4)
                    .allMatch(i -> jobs.trainerJob("after-" + i).isPresent()
                            && jobs.status("after-" + i).phase == Phase.Pending));
            // A little longer, for anything the new leader might still (wrongly) replace.
            Thread.sleep(2000);

            List<FineTuneJob> all = client.resources(FineTuneJob.class)
                    .inNamespace(TestJobs.NAMESPACE)
                    .list()
                    .getItems();
            assertThat(all).hasSize(10).allSatisfy(j -> assertThat(j.getStatus().restarts)
                    .isZero());
            for (FineTuneJob job : all) {
                assertThat(ledger.created(job.getMetadata().getName()))
                        .as("trainer Jobs created for %s", job.getMetadata().getName())
                        .hasSize(1);
            }
            assertThat(ledger.overlaps()).isEmpty();
            assertThat(standing.process().isAlive()).isTrue();
            assertThat(standing.process().liveness()).isEqualTo(200);
        } finally {
            for (Replica replica : replicas) {
                replica.process().close();
                replica.proxy().close();
            }
        }
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.resources(Lease.class)
                .inNamespace("default")
                .withName(LEASE)
                .get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static Replica replica(String name, MockCluster cluster, Path work, ObservedGrants grants)
            throws Exception {
        List<String> writes = new CopyOnWriteArrayList<>();
        ApiProxy proxy = ApiProxy.start(cluster.url(), ApiProxy.Faults.NONE, (method, uri) -> {
            grants.observe(method, uri);
            if (!method.equals("GET") && !uri.getPath().contains("/leases")) {
                writes.add(method + " " + uri.getPath());
            }
        });
        Map<String, String> settings = new HashMap<>();
        settings.put("HOSTNAME", name);
        settings.put("DFTUNE_LEADER_ELECTION_ENABLED", "true");
        settings.put("DFTUNE_LEADER_ELECTION_LEASE_NAME", LEASE);
        settings.put("DFTUNE_LEADER_ELECTION_LEASE_DURATION", LEASE_DURATION.toSeconds() + "s");
        settings.put("DFTUNE_LEADER_ELECTION_RENEW_DEADLINE", "4s");
        settings.put("DFTUNE_LEADER_ELECTION_RETRY_PERIOD", RETRY_PERIOD.toSeconds() + "s");
        settings.put("DFTUNE_STATUS_INTERVAL", "1s");
        OperatorProcess process =
                OperatorProcess.start(JAR, proxy.url(), "256m", 0, settings, work.resolve(name + ".log"));
        return new Replica(name, proxy, process, writes);
    }
}
