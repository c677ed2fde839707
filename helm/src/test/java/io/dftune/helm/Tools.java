package io.dftune.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The external tools the chart tests run, and the repository they inspect. bin/test installs
 * helm and the npm packages into {@code .tools/} (system property {@code dftune.tools}); promtool,
 * prometheus and node come from the PATH. A missing tool fails the test with how to get it.
 */
final class Tools {
    static final Path REPO =
            Path.of(System.getProperty("dftune.repo", "..")).toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/dftune");
    /** The operator module, whose build generates the CRD and RBAC the chart must match. */
    static final Path OPERATOR = Path.of(
            System.getProperty("dftune.operator.dir", REPO.resolve("operator").toString()));

    private static final Path TOOLS = Path.of(
                    System.getProperty("dftune.tools", REPO.resolve(".tools").toString()))
            .toAbsolutePath()
            .normalize();

    private Tools() {}

    static Path helm() {
        return installed(TOOLS.resolve("helm/helm"), "helm");
    }

    /** The node_modules folder holding kubernetes-models, @kubernetes-models/prometheus-operator and js-yaml. */
    static Path nodeModules() {
        return installed(TOOLS.resolve("node/node_modules"), "kubernetes-models")
                .toAbsolutePath();
    }

    static String node() {
        return onPath("node", "nodejs (Debian package)");
    }

    static String promtool() {
        return onPath("promtool", "prometheus (Debian package)");
    }

    static String prometheus() {
        return onPath("prometheus", "prometheus (Debian package)");
    }

    private static Path installed(Path path, String what) {
        if (!Files.exists(path)) {
            throw new AssertionError(what + " is not installed at " + path + ": run bin/test, which installs it");
        }
        return path;
    }

    private static String onPath(String command, String from) {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
        return found.map(Path::toString)
                .orElseThrow(
                        () -> new AssertionError(command + " is not on the PATH: install " + from + "; bin/test does"));
    }

    /** A finished command: its exit code and its stdout and stderr together. */
    record Result(int exitCode, String output) {
        Result assertOk(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    static Result run(List<String> command) {
        return run(command, REPO);
    }

    static Result run(List<String> command, Path directory) {
        try {
            Path log = Files.createTempFile("dftune-tool-", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command))
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(command + " did not finish within 120 s:\n" + Files.readString(log));
                }
                return new Result(process.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
