package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Operator scale: 1,000 FineTuneJobs created at once against Fabric8's mock API server (CRUD
 * mode), the packaged operator in its own process under -Xmx256m with the chart's JVM options;
 * runs the operator module's {@code OperatorScaleBenchmark} and reads what it wrote. A second run
 * gives the operator both JIT compilers (the JVM's default) to show what the chart's C1-only
 * option saves.
 */
final class OperatorScaleBench implements Benchmark {
    private static final int JOBS = 1000;
    private static final String MAX_HEAP = "256m";
    private static final double TARGET_SECONDS = 60;
    private static final double MIB = 1024.0 * 1024;
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @Override
    public ObjectNode run(Context context) {
        int jobs = context.quick() ? 50 : JOBS;
        ObjectNode r = runOnce(context, jobs, List.of());
        String chartOptions = r.get("java_tool_options").asText();
        ObjectNode bothCompilers = runOnce(
                context, jobs, List.of(chartOptions.replace(C1_ONLY, "").strip().replaceAll("\\s+", " ")));

        double seconds = r.get("all_jobs_seconds").asDouble();
        boolean complete = r.get("with_job").asInt() == jobs;
        boolean healthy =
                r.get("operator_alive").asBoolean() && !r.get("out_of_memory").asBoolean();
        Doc doc = new Doc("Operator scale: FineTuneJobs created at once");
        doc.line(
                "%d FineTuneJobs created by 8 client threads against Fabric8's mock API server (CRUD mode) in one "
                        + "process; the packaged operator (`quarkus-run.jar`) in its own JVM with **-Xmx%s** and the "
                        + "chart's `JAVA_TOOL_OPTIONS` (`%s`), as the chart runs it. Created in %.1f s; every one had "
                        + "its trainer Job after **%.1f s** (%d of %d). The operator %s. One run.",
                jobs,
                MAX_HEAP,
                chartOptions,
                r.get("created_seconds").asDouble(),
                seconds,
                r.get("with_job").asInt(),
                jobs,
                healthy
                        ? "stayed up without an OutOfMemoryError"
                        : "**failed** (died or ran out of heap; see its log)");
        doc.line(
                "%nOperator heap (its own `jvm_memory_used_bytes{area=\"heap\"}`): %.0f MiB live before the jobs, "
                        + "**%.0f MiB live** after a full collection (`jcmd GC.run`) with all %d reconciled, %.0f MiB the "
                        + "highest use sampled every 200 ms (garbage included).",
                r.get("heap_before_bytes").asDouble() / MIB,
                r.get("heap_after_gc_bytes").asDouble() / MIB,
                jobs,
                r.get("heap_peak_sampled_bytes").asDouble() / MIB);
        doc.line("%nWhere the time goes: CPU seconds from the first creation until every job had its Job, for the "
                + "operator's process and for the benchmark's (the mock API server, whose one event-loop thread serves "
                + "every request, and the clients). The mock server finds objects by comparing a request with every "
                + "stored object, so its work per request grows with the number of objects (five per FineTuneJob: it, "
                + "its ConfigMap, Secret, Service and Job, plus its events) and the whole run's with the square of the "
                + "number of jobs. The second row is the same run with the operator on both JIT compilers.%n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("chart's options (C1 only)", r));
        rows.add(row("both JIT compilers (the JVM's default)", bothCompilers));
        doc.table(List.of("operator JVM", "until every Job, s", "operator CPU s", "mock server + clients CPU s"), rows);
        doc.summary(
                Doc.f("operator: %d FineTuneJobs until each has its Job (-Xmx%s)", jobs, MAX_HEAP),
                Doc.f("%.1f s", seconds),
                "<= 60 s",
                complete && healthy && seconds <= TARGET_SECONDS);
        doc.summary(
                Doc.f("operator heap with %d jobs (its own JVM, -Xmx%s)", jobs, MAX_HEAP),
                Doc.f(
                        "%.0f MiB live, ran without OutOfMemoryError: %s",
                        r.get("heap_after_gc_bytes").asDouble() / MIB, healthy ? "yes" : "no"),
                "<= 256 MiB",
                complete && healthy);
        doc.summary(
                "operator CPU for those jobs: C1 only / both JIT compilers",
                Doc.f(
                        "%.1f s / %.1f s",
                        r.get("operator_cpu_seconds").asDouble(),
                        bothCompilers.get("operator_cpu_seconds").asDouble()),
                "-",
                null);
        doc.data().setAll(r);
        doc.data().set("both_jit_compilers", bothCompilers);
        ObjectNode result = doc.finish();
        result.put("allocator", OperatorChild.ALLOCATOR);
        result.put("libtorch", "not used");
        return result;
    }

    private static ObjectNode runOnce(Context context, int jobs, List<String> jvmOptions) {
        List<String> args = new ArrayList<>(List.of(
                OperatorChild.operatorJar(context).toString(),
                OperatorChild.crd(context).toString(),
                Integer.toString(jobs),
                MAX_HEAP));
        args.addAll(jvmOptions);
        ObjectNode r = OperatorChild.run(context, "OperatorScaleBenchmark", args);
        Bench.log(
                "operator scale (%s): all Jobs after %.1f s, operator CPU %.1f s",
                r.get("java_tool_options").asText(),
                r.get("all_jobs_seconds").asDouble(),
                r.get("operator_cpu_seconds").asDouble());
        return r;
    }

    private static List<String> row(String name, ObjectNode r) {
        return List.of(
                name,
                Doc.f("%.1f", r.get("all_jobs_seconds").asDouble()),
                Doc.f("%.1f", r.get("operator_cpu_seconds").asDouble()),
                Doc.f("%.1f", r.get("mock_server_and_clients_cpu_seconds").asDouble()));
    }
}
