package io.dftune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code bin/dftune} command as users run it, to its end, with its peak resident memory: the
 * kernel's high-water mark of the process ({@code VmHWM}), read while it runs (the launcher execs
 * the JVM, so the process is the trainer itself).
 *
 * @param exitCode the process's exit code
 * @param peakRssBytes the highest VmHWM seen
 * @param seconds wall time from start to exit
 * @param stdout the lines it printed
 * @param stderr the lines it printed on stderr (the refusal of a run that does not fit, errors)
 */
record TrainerProcess(int exitCode, long peakRssBytes, double seconds, List<String> stdout, List<String> stderr) {
    private static final long POLL_MILLIS = 50;

    static TrainerProcess run(Context context, Path workDir, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(context.root().resolve("bin/dftune").toString());
        command.addAll(arguments);
        ProcessBuilder builder = context.processBuilder(command);
        builder.environment().put("DFTUNE_JAVA_OPTS", String.join(" ", context.libtorchOptions()));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());

        long started = System.nanoTime();
        try {
            Process process = builder.start();
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            long peak = 0;
            while (process.isAlive()) {
                peak = Math.max(peak, highWaterMark(status));
                Thread.sleep(POLL_MILLIS);
            }
            int exit = process.waitFor();
            return new TrainerProcess(
                    exit, peak, (System.nanoTime() - started) / 1e9, Files.readAllLines(out), Files.readAllLines(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last stdout line, as JSON (the contract of {@code dftune plan} and {@code dftune eval}). */
    JsonNode lastJsonLine() {
        try {
            return Bench.JSON.readTree(stdout.get(stdout.size() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TrainerProcess requireSuccess(String what, Path workDir) {
        if (exitCode != 0) {
            throw new IllegalStateException(
                    what + " exited with " + exitCode + "; see " + workDir.resolve("stderr.txt"));
        }
        return this;
    }

    /** 0 once the process has gone (its status file, or the field in a zombie's, is missing). */
    private static long highWaterMark(Path status) {
        try {
            return (long) LossMemoryBench.meminfo(status.toString(), "VmHWM:");
        } catch (UncheckedIOException | IllegalStateException e) {
            return 0;
        }
    }
}
