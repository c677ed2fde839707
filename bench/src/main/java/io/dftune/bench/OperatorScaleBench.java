package io.dftune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator scale: 1,000 FineTuneJobs created at once against Fabric8's mock API server (CRUD
 * mode), the operator's own test set-up; runs {@code OperatorScaleBenchmark} in the operator
 * module through Maven and reads what it wrote.
 */
final class OperatorScaleBench implements Benchmark {
    private static final int JOBS = 1000;
    private static final double TARGET_SECONDS = 60;
    private static final double MIB = 1024.0 * 1024;
    private static final double TARGET_HEAP = 256 * MIB;

    @Override
    public ObjectNode run(Context context) {
        Path out = Bench.tempDir("operator").resolve("scale.json");
        List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B"));
        if ("1".equals(System.getenv("MAVEN_OFFLINE"))) {
            command.add("-o");
        }
        command.addAll(List.of("-pl", "operator", "-am", "test", "-Dtest=OperatorScaleBenchmark",
                "-Dsurefire.failIfNoSpecifiedTests=false", "-Dbench.jobs=" + (context.quick() ? 50 : JOBS),
                "-Dbench.out=" + out));
        if (context.runToEnd(command) != 0) {
            throw new IllegalStateException("OperatorScaleBenchmark failed");
        }
        JsonNode r;
        try {
            r = Bench.JSON.readTree(out.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double seconds = r.get("all_jobs_seconds").asDouble();
        double peak = r.get("heap_peak_bytes").asDouble();
        boolean complete = r.get("with_job").asInt() == r.get("jobs").asInt();
        Doc doc = new Doc("Operator scale: FineTuneJobs created at once");
        doc.line("%d FineTuneJobs created by 8 client threads against Fabric8's mock API server (CRUD mode, the "
                        + "operator's own test set-up, in the operator's test JVM with -Xmx1g). Created in %.1f s; every "
                        + "one had its trainer Job after **%.1f s** (%d of %d). Peak heap of that JVM: **%.0f MiB** "
                        + "(%.0f MiB before creating, %.0f MiB after a GC at the end); it holds the operator, the mock "
                        + "API server and every object stored in it, so the operator's own share is smaller. One run.",
                r.get("jobs").asInt(), r.get("created_seconds").asDouble(), seconds, r.get("with_job").asInt(),
                r.get("jobs").asInt(), peak / MIB, r.get("heap_before_bytes").asDouble() / MIB,
                r.get("heap_after_gc_bytes").asDouble() / MIB);
        doc.summary(Doc.f("operator: %d FineTuneJobs until each has its Job", r.get("jobs").asInt()),
                Doc.f("%.1f s", seconds), "<= 60 s", complete && seconds <= TARGET_SECONDS);
        double live = r.get("heap_after_gc_bytes").asDouble();
        doc.line("%nThe heap row counts the live heap after a full GC with all %d jobs reconciled (what a heap limit must "
                + "hold); the peak of used heap includes garbage that G1 had no reason to collect under -Xmx1g.",
                r.get("jobs").asInt());
        doc.summary("operator heap with 1,000 jobs (live after GC, whole test JVM incl. mock API server)",
                Doc.f("%.0f MiB (peak used %.0f MiB under -Xmx1g)", live / MIB, peak / MIB), "<= 256 MiB",
                live <= TARGET_HEAP);
        doc.data().setAll((ObjectNode) r);
        ObjectNode result = doc.finish();
        result.put("libtorch", "not used");
        return result;
    }
}
