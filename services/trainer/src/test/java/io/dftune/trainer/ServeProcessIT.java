package io.dftune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.engine.testing.TinyJob;
import io.dftune.proto.v1.CancelRunRequest;
import io.dftune.spec.run.ExitCodes;
import io.dftune.trainer.testing.TrainerClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as a pod runs it: {@code serve --job} trains at once and its exit code
 * tells the outcome. SIGTERM finishes the step, writes a checkpoint and exits 75; started again it
 * resumes and ends with exactly the weights of a run that was never interrupted ({@code dftune
 * run}, which does not boot Quarkus).
 */
class ServeProcessIT {
    private static final Path APP = Path.of(System.getProperty("dftune.app.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath();
    private static final int STEPS = 600;
    private static final Pattern TRAIN_STEP = Pattern.compile("\"type\":\"train\",\"step\":(\\d+)");

    @TempDir
    Path dir;

    private int port;

    @BeforeEach
    void freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    private Process start(String name, String... args) throws IOException {
        return start(name, Map.of(), args);
    }

    private Process start(String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dquarkus.http.port=" + port,
                "-jar",
                APP.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().putAll(env);
        return builder.start();
    }

    private int exitOf(Process process, String name, Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end within " + timeout + ":\n" + log(name));
        }
        return process.exitValue();
    }

    private String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"));
    }

    @Test
    void sigtermCheckpointsExitsPreemptedAndTheResumedRunMatchesAnUninterruptedOne() throws Exception {
        assertThat(APP).as("the packaged application (mvn package)").isRegularFile();
        TinyJob.writeModelAndData(dir);
        Path interrupted = TinyJob.writeManifest(
                dir, "interrupted.yaml", TinyJob.manifest("interrupted", "interrupted", STEPS, 250));
        Path whole = TinyJob.writeManifest(dir, "whole.yaml", TinyJob.manifest("whole", "whole", STEPS, 250));

        Process first = start("first", "serve", "--job", interrupted.toString(), "--grace-seconds", "60");
        long reached = awaitTrainStep(first, "first", dir.resolve("interrupted/metrics.jsonl"), 5);
        first.destroy(); // SIGTERM
        assertThat(exitOf(first, "first", Duration.ofSeconds(90)))
                .as(log("first"))
                .isEqualTo(ExitCodes.PREEMPTED);

        long stoppedAt = lastTrainStep(dir.resolve("interrupted/metrics.jsonl"));
        assertThat(stoppedAt).isBetween(reached, (long) STEPS - 1);
        assertThat(dir.resolve("interrupted/checkpoints/step-" + stoppedAt + "/model.safetensors"))
                .isRegularFile();
        assertThat(dir.resolve("interrupted/checkpoints/step-" + stoppedAt + "/optimizer.safetensors"))
                .isRegularFile();
        assertThat(dir.resolve("interrupted/final")).doesNotExist();
        assertThat(log("first")).contains("stop requested");

        // The job file as a pod gets it: from the environment.
        Process second = start("second", Map.of("DFTUNE_JOB_FILE", interrupted.toString()), "serve");
        assertThat(exitOf(second, "second", Duration.ofSeconds(300)))
                .as(log("second"))
                .isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(log("second")).contains("resumed from step " + stoppedAt);

        Process uninterrupted = start("whole", "run", whole.toString());
        assertThat(exitOf(uninterrupted, "whole", Duration.ofSeconds(300)))
                .as(log("whole"))
                .isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(log("whole")).as("run does not boot the server").doesNotContain("Listening on");

        assertThat(lastTrainStep(dir.resolve("interrupted/metrics.jsonl"))).isEqualTo(STEPS);
        Path resumedWeights = dir.resolve("interrupted/final/model.safetensors");
        Path wholeWeights = dir.resolve("whole/final/model.safetensors");
        assertThat(Files.mismatch(resumedWeights, wholeWeights))
                .as("byte-identical final weights")
                .isEqualTo(-1L);
    }

    @Test
    void aJobThatCannotRunExits1WithTheCauseOnStderr() throws Exception {
        TinyJob.writeModelAndData(dir);
        Path job = TinyJob.writeManifest(
                dir,
                "broken.yaml",
                TinyJob.manifest("broken", "out", 4, 0).replace("path: model", "path: no-such-model"));
        Process serve = start("broken", "serve", "--job", job.toString());
        assertThat(exitOf(serve, "broken", Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
        assertThat(log("broken")).containsPattern("(?m)^dftune: .*no-such-model");

        Process invalid = start(
                "invalid",
                "serve",
                "--job",
                TinyJob.writeManifest(
                                dir,
                                "invalid.yaml",
                                TinyJob.manifest("invalid", "out", 4, 0).replace("batchSize: 4", "batchSize: 0"))
                        .toString());
        assertThat(exitOf(invalid, "invalid", Duration.ofSeconds(120))).isEqualTo(ExitCodes.FAILED);
        assertThat(log("invalid")).containsPattern("(?m)^dftune: .*spec.training.batchSize");
    }

    @Test
    void aJobCancelledOverGrpcExits3AfterACheckpoint() throws Exception {
        TinyJob.writeModelAndData(dir);
        Path job = TinyJob.writeManifest(dir, "cancel.yaml", TinyJob.manifest("cancel", "out", 100_000, 0));
        Process serve = start("cancel", "serve", "--job", job.toString());
        awaitTrainStep(serve, "cancel", dir.resolve("out/metrics.jsonl"), 3);
        try (TrainerClient client = new TrainerClient(port)) {
            client.blocking().cancelRun(CancelRunRequest.getDefaultInstance());
        }
        assertThat(exitOf(serve, "cancel", Duration.ofSeconds(120)))
                .as(log("cancel"))
                .isEqualTo(ExitCodes.CANCELLED);
        long stoppedAt = lastTrainStep(dir.resolve("out/metrics.jsonl"));
        assertThat(dir.resolve("out/checkpoints/step-" + stoppedAt)).isDirectory();
    }

    /** Waits until the run has logged {@code step}; returns the step seen. */
    private long awaitTrainStep(Process process, String name, Path metrics, long step) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("the trainer exited early:\n%s", log(name))
                    .isTrue();
            long last = lastTrainStep(metrics);
            if (last >= step) {
                return last;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the run did not reach step " + step + ":\n" + log(name));
    }

    private static long lastTrainStep(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return 0;
        }
        long last = 0;
        for (String line : Files.readAllLines(metrics)) {
            Matcher m = TRAIN_STEP.matcher(line);
            if (m.find()) {
                last = Long.parseLong(m.group(1));
            }
        }
        return last;
    }
}
