package io.dftune.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (the {@code prometheus} binary on the PATH; bin/test installs it) on loopback,
 * with its own data folder, scraping one target's /q/metrics every second, and evaluating the
 * given rule files every second.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    public PrometheusServer(Path workDir, int targetPort) throws IOException {
        this(workDir, targetPort, List.of());
    }

    public PrometheusServer(Path workDir, int targetPort, List<Path> ruleFiles) throws IOException {
        port = freePort();
        Path config = workDir.resolve("prometheus.yml");
        String rules =
                ruleFiles.stream().map(f -> "\"" + f.toAbsolutePath() + "\"").collect(Collectors.joining(", "));
        Files.writeString(
                config,
                """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: dftune-trainer
                    # The trainer's own job and namespace labels win over Prometheus' target labels.
                    honor_labels: true
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """
                        .formatted(rules, targetPort));
        log = workDir.resolve("prometheus.log");
        try {
            process = new ProcessBuilder(
                            "prometheus",
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + workDir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException(
                    "cannot start prometheus (install the Debian package \"prometheus\"; bin/test does): "
                            + e.getMessage(),
                    e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The {@code data.result} array of an instant PromQL query; empty while there is no data (or no server yet). */
    public JsonNode query(String promql) throws InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("result");
    }

    /**
     * The {@code data} of a GET on the HTTP API ({@code rules}, {@code query?query=...}); a missing
     * node while the server does not answer or answers with an error.
     */
    public JsonNode api(String pathAndQuery) throws InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/" + pathAndQuery);
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return json.missingNode();
            }
            return json.readTree(response.body()).path("data");
        } catch (IOException e) {
            return json.missingNode();
        }
    }

    /** Queries until the result has data; fails with Prometheus' log when it never does. */
    public JsonNode awaitResult(String promql, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            JsonNode result = query(promql);
            if (result.size() > 0) {
                return result;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "no data for " + promql + " within " + timeout + "; prometheus log:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
