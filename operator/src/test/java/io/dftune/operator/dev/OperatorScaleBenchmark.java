package io.dftune.operator.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import io.dftune.operator.api.ResourceNames;
import io.dftune.operator.testing.TestJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operator scale, run by {@code bench/run}: the packaged operator in its own process under a heap
 * limit, against a {@link MockCluster} in this one; creates many FineTuneJobs at once (8 client
 * threads), times until every one has its trainer Job, samples the operator's heap meanwhile and
 * reads its live heap after a full collection at the end.
 *
 * <p>Arguments: out.json operator-jar crd-file jobs max-heap [JAVA_TOOL_OPTIONS, default: the chart's]
 */
public final class OperatorScaleBenchmark {
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private OperatorScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path operatorJar = Path.of(args[1]);
        Path crd = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        String maxHeap = args[4];
        String jvmOptions = args.length > 5 ? args[5] : OperatorProcess.chartJavaToolOptions(operatorJar);

        Path work = Files.createTempDirectory("dftune-operator-scale");
        ObjectMapper json = new ObjectMapper();
        ObjectNode r = json.createObjectNode();
        try (MockCluster cluster = MockCluster.start(0, work, crd);
                OperatorProcess operator = OperatorProcess.start(
                        operatorJar,
                        cluster,
                        maxHeap,
                        0,
                        Map.of("JAVA_TOOL_OPTIONS", jvmOptions),
                        work.resolve("operator.log"))) {
            KubernetesClient client = cluster.client();
            TestJobs jobs = new TestJobs(client);
            AtomicLong peak = new AtomicLong(operator.heapUsedBytes());
            r.put("heap_before_bytes", operator.liveHeapBytes());
            Thread sampler = new Thread(() -> sampleHeap(operator, peak), "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();

            Duration operatorCpuBefore = operator.cpuTime();
            long thisCpuBefore = processCpuNanos();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> created = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String manifest = TestJobs.manifest("scale-" + i, 10, 0);
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
            while (System.nanoTime() - start < TIMEOUT_NANOS && operator.isAlive()) {
                withJob = client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(TestJobs.NAMESPACE)
                        .withLabel(ResourceNames.LABEL_MANAGED_BY, ResourceNames.MANAGER)
                        .list()
                        .getItems()
                        .size();
                if (withJob >= count) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            double allJobsSeconds = (System.nanoTime() - start) / 1e9;
            // Where the time went: the mock API server (and the 8 clients) run in this JVM.
            r.put(
                    "operator_cpu_seconds",
                    operator.cpuTime().minus(operatorCpuBefore).toNanos() / 1e9);
            r.put("mock_server_and_clients_cpu_seconds", (processCpuNanos() - thisCpuBefore) / 1e9);
            sampler.interrupt();
            r.put("jobs", count);
            r.put("with_job", withJob);
            r.put("created_seconds", createdSeconds);
            r.put("all_jobs_seconds", allJobsSeconds);
            r.put("max_heap", maxHeap);
            r.put("java_tool_options", jvmOptions);
            r.put("operator_alive", operator.isAlive());
            r.put("out_of_memory", operator.ranOutOfMemory());
            r.put("heap_peak_sampled_bytes", peak.get());
            r.put("heap_after_gc_bytes", operator.isAlive() ? operator.liveHeapBytes() : -1);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r);
        System.exit(0);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The highest heap use seen, every 200 ms, until interrupted. */
    private static void sampleHeap(OperatorProcess operator, AtomicLong peak) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(operator.heapUsedBytes(), Math::max);
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the operator died; the main thread reports that
        }
    }
}
