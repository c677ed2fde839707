package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Operator scale: 1,000 FineTuneJobs created at once against Fabric8's mock API server (CRUD
 * mode), the packaged operator in its own process under -Xmx256m; runs the operator module's
 * {@code OperatorScaleBenchmark} and reads what it wrote.
 */
final class OperatorScaleBench implements Benchmark {
    private static final int JOBS = 1000;
    private static final String MAX_HEAP = "256m";
    private static final double TARGET_SECONDS = 60;
    private static final double MIB = 1024.0 * 1024;

    @Override
    public ObjectNode run(Context context) {
        int jobs = context.quick() ? 50 : JOBS;
        ObjectNode r = OperatorChild.run(context, "OperatorScaleBenchmark", List.of(
                OperatorChild.operatorJar(context).toString(), OperatorChild.crd(context).toString(),
                Integer.toString(jobs), MAX_HEAP));
        double seconds = r.get("all_jobs_seconds").asDouble();
        boolean complete = r.get("with_job").asInt() == jobs;
        boolean healthy = r.get("operator_alive").asBoolean() && !r.get("out_of_memory").asBoolean();
        Doc doc = new Doc("Operator scale: FineTuneJobs created at once");
        doc.line("%d FineTuneJobs created by 8 client threads against Fabric8's mock API server (CRUD mode) in one "
                        + "process; the packaged operator (`quarkus-run.jar`) in its own JVM with **-Xmx%s**, as the "
                        + "chart runs it. Created in %.1f s; every one had its trainer Job after **%.1f s** (%d of %d). "
                        + "The operator %s. One run.",
                jobs, MAX_HEAP, r.get("created_seconds").asDouble(), seconds, r.get("with_job").asInt(), jobs,
                healthy ? "stayed up without an OutOfMemoryError" : "**failed** (died or ran out of heap; see its log)");
        doc.line("%nOperator heap (its own `jvm_memory_used_bytes{area=\"heap\"}`): %.0f MiB live before the jobs, "
                        + "**%.0f MiB live** after a full collection (`jcmd GC.run`) with all %d reconciled, %.0f MiB the "
                        + "highest use sampled every 200 ms (garbage included).",
                r.get("heap_before_bytes").asDouble() / MIB, r.get("heap_after_gc_bytes").asDouble() / MIB, jobs,
                r.get("heap_peak_sampled_bytes").asDouble() / MIB);
        doc.summary(Doc.f("operator: %d FineTuneJobs until each has its Job (-Xmx%s)", jobs, MAX_HEAP),
                Doc.f("%.1f s", seconds), "<= 60 s", complete && healthy && seconds <= TARGET_SECONDS);
        doc.summary(Doc.f("operator heap with %d jobs (its own JVM, -Xmx%s)", jobs, MAX_HEAP),
                Doc.f("%.0f MiB live, ran without OutOfMemoryError: %s", r.get("heap_after_gc_bytes").asDouble() / MIB,
                        healthy ? "yes" : "no"), "<= 256 MiB", complete && healthy);
        doc.data().setAll(r);
        ObjectNode result = doc.finish();
        result.put("allocator", OperatorChild.ALLOCATOR);
        result.put("libtorch", "not used");
        return result;
    }
}
