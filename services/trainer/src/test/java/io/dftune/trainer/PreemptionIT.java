package io.dftune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.trainer.cli.ExitCodes;
import io.dftune.trainer.testing.TinyJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application as a pod runs it: {@code serve --job} trains at once; SIGTERM finishes
 * the step, writes a checkpoint and exits 75; started again it resumes and ends with exactly the
 * weights of a run that was never interrupted ({@code dftune run}, which does not boot Quarkus).
 */
class PreemptionIT {
    private static final Path APP = Path.of(System.getProperty("dftune.app.jar",
            "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    private static final int STEPS = 600;
    private static final Pattern TRAIN_STEP = Pattern.compile("\"type\":\"train\",\"step\":(\\d+)");

    @TempDir
    Path dir;

    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dquarkus.http.port=0", "-jar", APP.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("DJL_OFFLINE", "true");
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
        Path interrupted = TinyJob.writeManifest(dir, "interrupted.yaml",
                TinyJob.manifest("interrupted", "interrupted", STEPS, 250));
        Path whole = TinyJob.writeManifest(dir, "whole.yaml", TinyJob.manifest("whole", "whole", STEPS, 250));

        Process first = start("first", "serve", "--job", interrupted.toString(), "--grace-seconds", "60");
        long reached = awaitTrainStep(first, dir.resolve("interrupted/metrics.jsonl"), 5);
        first.destroy(); // SIGTERM
        assertThat(exitOf(first, "first", Duration.ofSeconds(90))).as(log("first")).isEqualTo(ExitCodes.PREEMPTED);

        long stoppedAt = lastTrainStep(dir.resolve("interrupted/metrics.jsonl"));
        assertThat(stoppedAt).isBetween(reached, (long) STEPS - 1);
        assertThat(dir.resolve("interrupted/checkpoints/step-" + stoppedAt + "/model.safetensors")).isRegularFile();
        assertThat(dir.resolve("interrupted/checkpoints/step-" + stoppedAt + "/optimizer.safetensors")).isRegularFile();
        assertThat(dir.resolve("interrupted/final")).doesNotExist();
        assertThat(log("first")).contains("stop requested");

        Process second = start("second", "serve", "--job", interrupted.toString());
        assertThat(exitOf(second, "second", Duration.ofSeconds(300))).as(log("second")).isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(log("second")).contains("resumed from step " + stoppedAt);

        Process uninterrupted = start("whole", "run", whole.toString());
        assertThat(exitOf(uninterrupted, "whole", Duration.ofSeconds(300))).as(log("whole")).isEqualTo(ExitCodes.SUCCEEDED);
        assertThat(log("whole")).as("run does not boot the server").doesNotContain("Listening on");

        assertThat(lastTrainStep(dir.resolve("interrupted/metrics.jsonl"))).isEqualTo(STEPS);
        Path resumedWeights = dir.resolve("interrupted/final/model.safetensors");
        Path wholeWeights = dir.resolve("whole/final/model.safetensors");
        assertThat(Files.mismatch(resumedWeights, wholeWeights)).as("byte-identical final weights").isEqualTo(-1L);
    }

    /** Waits until the run has logged {@code step}; returns the step seen. */
    private long awaitTrainStep(Process process, Path metrics, long step) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the trainer exited early:\n%s", log("first")).isTrue();
            long last = lastTrainStep(metrics);
            if (last >= step) {
                return last;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the run did not reach step " + step + ":\n" + log("first"));
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
