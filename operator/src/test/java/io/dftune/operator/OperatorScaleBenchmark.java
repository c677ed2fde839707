package io.dftune.operator;

import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.rbac.TestClient;
import io.dftune.operator.testing.FineTuneJobResources;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire's default includes skip the name): the operator-scale benchmark that
 * {@code bench/run} starts with {@code -Dtest=OperatorScaleBenchmark}. Creates {@code bench.jobs}
 * FineTuneJobs at once against the mock API server (CRUD mode), times until every one has its
 * trainer Job, and records the peak heap of this JVM (operator, mock API server and its stored
 * objects together) into {@code bench.out} as JSON.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = FineTuneJobResources.class)
class OperatorScaleBenchmark {
    @Inject
    @TestClient
    KubernetesClient client;

    @Test
    void manyJobsAtOnce() throws Exception {
        int count = Integer.getInteger("bench.jobs", 1000);
        Path out = Path.of(System.getProperty("bench.out", "target/operator-scale.json"));
        TestJobs jobs = new TestJobs(client);
        List<String> manifests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            manifests.add(TestJobs.manifest("scale-" + i, 10, 0));
        }
        System.gc();
        long heapBefore = heapUsed();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (String manifest : manifests) {
                created.add(pool.submit(() -> jobs.create(jobs.parse(manifest))));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double createdSeconds = (System.nanoTime() - start) / 1e9;
        int withJob = 0;
        while (System.nanoTime() - start < 300e9) {
            withJob = client.batch().v1().jobs().inNamespace(TestJobs.NAMESPACE)
                    .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER).list().getItems().size();
            if (withJob >= count) {
                break;
            }
            Thread.sleep(100);
        }
        double allJobsSeconds = (System.nanoTime() - start) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long after = heapUsed();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, String.format(Locale.ROOT, "{\"jobs\": %d, \"with_job\": %d, \"created_seconds\": %.3f, "
                + "\"all_jobs_seconds\": %.3f, \"heap_before_bytes\": %d, \"heap_peak_bytes\": %d, "
                + "\"heap_after_gc_bytes\": %d, \"max_heap_bytes\": %d}%n", count, withJob, createdSeconds, allJobsSeconds,
                heapBefore, peak, after, Runtime.getRuntime().maxMemory()));
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
