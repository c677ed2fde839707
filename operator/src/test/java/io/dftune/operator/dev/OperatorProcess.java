package io.dftune.operator.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dftune.operator.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) as a child process
 * pointed at a {@link MockCluster}, configured through its environment as in a Deployment, with
 * the chart's default JVM options.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final Pattern HEAP_USED =
            Pattern.compile("(?m)^jvm_memory_used_bytes\\{(?=[^}]*area=\"heap\")[^}]*}\\s+(\\S+)$");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int httpPort;
    private final Path log;

    private OperatorProcess(Process process, int httpPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts the operator with heap limit {@code maxHeap} (a -Xmx value), its HTTP endpoints on
     * {@code httpPort} (0: any free port) and the given operator settings ({@code
     * DFTUNE_STATUS_INTERVAL} and so on), and waits until it reports ready.
     */
    public static OperatorProcess start(
            Path jar, MockCluster cluster, String maxHeap, int httpPort, Map<String, String> settings, Path log)
            throws IOException, InterruptedException {
        return start(jar, cluster.url(), maxHeap, httpPort, settings, log);
    }

    /** As {@link #start(Path, MockCluster, String, int, Map, Path)}, with the API server at {@code apiServer}. */
    public static OperatorProcess start(
            Path jar, String apiServer, String maxHeap, int httpPort, Map<String, String> settings, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged operator at " + jar + " (mvn -pl operator -am package)");
        }
        int port = httpPort != 0 ? httpPort : Ports.free();
        String chartJvmOptions = chartJavaToolOptions(jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-jar",
                jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KUBERNETES_MASTER", apiServer);
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_NAMESPACE", "default");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("JAVA_TOOL_OPTIONS", chartJvmOptions);
        env.putAll(settings);
        OperatorProcess operator = new OperatorProcess(builder.start(), port, log);
        operator.awaitReady(Duration.ofSeconds(60));
        return operator;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The chart's default {@code operator.javaToolOptions}, so that the operator runs here as it
     * does when installed; the -Xmx given to {@link #start} takes the place of its heap percentage.
     */
    static String chartJavaToolOptions(Path jar) throws IOException {
        for (Path dir = jar.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path values = dir.resolve("helm/dftune/values.yaml");
            if (Files.isRegularFile(values)) {
                JsonNode options = new YAMLMapper()
                        .readTree(values.toFile())
                        .path("operator")
                        .path("javaToolOptions");
                if (!options.isTextual()) {
                    throw new IllegalStateException(values + " has no operator.javaToolOptions");
                }
                return options.asText();
            }
        }
        throw new IllegalStateException("no helm/dftune/values.yaml above " + jar);
    }

    /** CPU time the operator's process has used so far (every thread, user and system). */
    public Duration cpuTime() {
        return process.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the system does not report the operator's CPU time"));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the operator ends at once, mid-reconciliation, without shutting anything down. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** The HTTP status of {@code /q/health/live} (200 live, 503 not), or -1 when it does not answer. */
    public int liveness() throws InterruptedException {
        try {
            return get("/q/health/live").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public Path log() {
        return log;
    }

    /** The operator's Prometheus metrics page. */
    public String metrics() throws IOException, InterruptedException {
        return get("/q/metrics").body();
    }

    /** Heap in use now: the sum of the operator's {@code jvm_memory_used_bytes{area="heap"}} series. */
    public long heapUsedBytes() throws IOException, InterruptedException {
        Matcher m = HEAP_USED.matcher(metrics());
        double sum = 0;
        int series = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            series++;
        }
        if (series == 0) {
            throw new IllegalStateException("the operator's metrics have no jvm_memory_used_bytes{area=\"heap\"}");
        }
        return (long) sum;
    }

    /** Heap in use after a full collection (jcmd GC.run): what the operator's objects really hold. */
    public long liveHeapBytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + out);
        }
        return heapUsedBytes();
    }

    /** Whether the operator's log reports running out of heap. */
    public boolean ranOutOfMemory() throws IOException {
        return Files.readString(log).contains("OutOfMemoryError");
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited (" + process.exitValue() + "); see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the operator was not ready after " + timeout + "; see " + log);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
