package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one of the operator module's benchmark programs ({@code io.dftune.operator.dev}: a mock
 * API server in that JVM, the packaged operator in its own process) and returns the JSON it wrote.
 * {@code bench/run} builds them first with {@code bin/dev-operator --build-only}.
 */
final class OperatorChild {
    private OperatorChild() {}

    static final String ALLOCATOR = "system";

    static Path operatorJar(Context context) {
        return context.root().resolve("operator/target/quarkus-app/quarkus-run.jar");
    }

    static Path crd(Context context) {
        return context.root().resolve("operator/target/kubernetes/finetunejobs.dftune.io-v1.yml");
    }

    /**
     * Runs {@code io.dftune.operator.dev.<program> out.json args...} with the C library's malloc: the
     * operator's image preloads no allocator (only the trainer's does). Results say so in {@link #ALLOCATOR}.
     */
    static ObjectNode run(Context context, String program, List<String> args) {
        Path operator = context.root().resolve("operator");
        Path classpathFile = operator.resolve("target/dev-classpath.txt");
        Context.requireFile(classpathFile, "build it with bin/dev-operator --build-only (bench/run does)");
        Context.requireFile(operatorJar(context), "build it with bin/dev-operator --build-only (bench/run does)");
        Path out = Bench.tempDir("operator").resolve(program + ".json");
        List<String> command = new ArrayList<>(List.of(
                Context.javaBinary(),
                "-Xmx2g",
                "-Dtrainer.jar=" + context.trainerJar(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Djava.util.logging.config.file=/dev/null",
                "-cp",
                operator.resolve("target/test-classes") + ":" + operator.resolve("target/classes") + ":"
                        + readString(classpathFile).strip(),
                "io.dftune.operator.dev." + program,
                out.toString()));
        command.addAll(args);
        Map<String, String> env = new HashMap<>();
        env.put("LD_PRELOAD", null);
        return context.runForJson(command, env, out, program);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
