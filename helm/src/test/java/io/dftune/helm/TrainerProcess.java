package io.dftune.helm;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged trainer ({@code quarkus-run.jar serve --job FILE}) as a pod runs it, on a free loopback port. */
final class TrainerProcess implements AutoCloseable {
    static final Path JAR = Path.of(
                    System.getProperty("dftune.trainer.jar", "../services/trainer/target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath()
            .normalize();

    private final Process process;
    private final Path log;
    final int port;

    TrainerProcess(Path dir, Path job) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("the packaged trainer is missing: " + JAR + " (mvn package -pl services/trainer)");
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        log = dir.resolve("trainer.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g",
                        "-Dai.djl.offline=true",
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1",
                        "-Dquarkus.http.port=" + port,
                        "-jar",
                        JAR.toString(),
                        "serve",
                        "--job",
                        job.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        process = builder.start();
    }

    /** The trainer's /q/metrics text, once it answers. */
    String scrape(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the trainer exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the trainer served no /q/metrics within " + timeout + ":\n" + Files.readString(log));
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
