package io.dftune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Status latency: a real trainer process runs the bundled example as the pod of a FineTuneJob,
 * followed by the packaged operator (its own process) at two status rate limits (the default 5 s
 * and 1 s); the operator module's {@code StatusLatencyBenchmark} subscribes to the same trainer's
 * events and times each step event until a status showing it arrives.
 */
final class StatusLatencyBench implements Benchmark {
    private static final List<String> INTERVALS = List.of("5s", "1s");
    private static final double SLACK_SECONDS = 1.0;

    @Override
    public ObjectNode run(Context context) {
        int steps = context.quick() ? 30 : 300;
        Doc doc = new Doc("Status latency: trainer step event to FineTuneJob status");
        doc.line(
                "The bundled example (%d steps) as a FineTuneJob on Fabric8's mock API server: its pod runs as a real "
                        + "trainer process (1 libtorch thread), followed over gRPC by the packaged operator in its own JVM "
                        + "(-Xmx256m and the chart's JVM options), which writes progress into the status at most once per "
                        + "`DFTUNE_STATUS_INTERVAL`. A third "
                        + "process subscribes to the same trainer's `WatchRun` stream and watches the FineTuneJob; for every "
                        + "step event it takes the time from the event's timestamp to the first status with that step or a "
                        + "later one (the rate limit skips steps; the user then sees a newer one). One run per interval, all "
                        + "on this machine's clock.%n",
                steps);
        List<List<String>> rows = new ArrayList<>();
        for (String interval : INTERVALS) {
            ObjectNode r = OperatorChild.run(
                    context,
                    "StatusLatencyBenchmark",
                    List.of(
                            OperatorChild.operatorJar(context).toString(),
                            OperatorChild.crd(context).toString(),
                            context.root().resolve("examples").toString(),
                            interval,
                            Integer.toString(steps)));
            Bench.log(
                    "status latency at %s: p50 %s, p99 %s, %s step events",
                    interval, seconds(r, "p50"), seconds(r, "p99"), r.get("step_events"));
            double limit = r.get("status_interval_seconds").asDouble() + SLACK_SECONDS;
            boolean complete = "Succeeded".equals(r.get("phase").asText())
                    && r.get("measured").asInt() == r.get("step_events").asInt()
                    && r.get("step_events").asInt() == steps;
            rows.add(List.of(
                    interval,
                    r.get("phase").asText(),
                    r.get("step_events").asText(),
                    r.get("status_updates").asText(),
                    seconds(r, "p50"),
                    seconds(r, "p90"),
                    seconds(r, "p99"),
                    seconds(r, "p100")));
            doc.summary(
                    Doc.f("status latency p99, status interval %s", interval),
                    seconds(r, "p99"),
                    Doc.f("<= %.0f s", limit),
                    complete && r.get("p99").asDouble() <= limit);
            doc.data().set(interval, r);
        }
        doc.table(
                List.of("status interval", "job", "step events", "status updates seen", "p50", "p90", "p99", "max"),
                rows);
        ObjectNode result = doc.finish();
        result.put("allocator", OperatorChild.ALLOCATOR);
        result.put("libtorch", "the trainer's");
        result.put("torch_threads", 1);
        return result;
    }

    private static String seconds(JsonNode r, String field) {
        return r.has(field) ? Doc.f("%.2f s", r.get(field).asDouble()) : "-";
    }
}
