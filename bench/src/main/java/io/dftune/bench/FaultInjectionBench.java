package io.dftune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Fault injection: 50 FineTuneJobs through their whole lives against the packaged operator while
 * it is SIGKILLed and restarted, its writes fail, its status updates conflict, its watches are cut
 * and trainer pods are killed; runs the operator module's {@code FaultInjectionBenchmark} and
 * reads what it wrote.
 */
final class FaultInjectionBench implements Benchmark {
    private static final int JOBS = 50;
    private static final int OPERATOR_KILLS = 5;
    private static final long SEED = 17;

    @Override
    public ObjectNode run(Context context) {
        int jobs = context.quick() ? 10 : JOBS;
        int kills = context.quick() ? 1 : OPERATOR_KILLS;
        ObjectNode r = OperatorChild.run(
                context,
                "FaultInjectionBenchmark",
                List.of(
                        OperatorChild.operatorJar(context).toString(),
                        OperatorChild.crd(context).toString(),
                        Integer.toString(jobs),
                        Integer.toString(kills),
                        Long.toString(SEED)));
        boolean passed = r.get("passed").asBoolean();
        Bench.log(
                "fault injection: %d jobs, %d faults injected, %s",
                jobs, r.get("faults_total").asInt(), passed ? "every check held" : "problems: " + r.get("problems"));

        Doc doc = new Doc("Fault injection: FineTuneJobs through their lives while the operator is hit");
        JsonNode lives = r.get("lives");
        doc.line(
                "%d FineTuneJobs on the tiny model, at most %d at a time, each with a real trainer process playing its "
                        + "pod: %d succeed untouched; %d have their trainer SIGKILLed after its first checkpoint (a crash: "
                        + "resumed, 1 restart, 1 failure); %d have it SIGTERMed (a preemption: resumed, 1 restart, no "
                        + "failure); %d are suspended after the first checkpoint and resumed at once, while the stopped "
                        + "pod may still be checkpointing; %d are deleted while their trainer runs. At the end every "
                        + "FineTuneJob left is deleted. The packaged operator (its own JVM, -Xmx256m, the chart's JVM "
                        + "options) talks to Fabric8's mock API server through a proxy that answers %.0f%% of its writes "
                        + "with 500 (half of them after applying them), %.0f%% of its status updates with 409 Conflict, "
                        + "and cuts every watch every %d s; the operator is SIGKILLed and restarted %d times at random "
                        + "moments (%s s into the run). The mock server cannot resume a watch from a resource version "
                        + "(a real one replays the events since, or answers 410 Gone when its history is compacted), so "
                        + "the proxy answers the first watch after a cut with 410 Gone and the informer lists anew; "
                        + "without that, deletions during a cut were lost and a FineTuneJob waited for a trainer pod "
                        + "long gone (seen in a first run). The mock server's missing garbage collector is played by the "
                        + "harness (owner references only). One run, seed %d.%n",
                jobs,
                r.get("at_once").asInt(),
                lives.get("succeed").asInt(),
                lives.get("crash").asInt(),
                lives.get("preempt").asInt(),
                lives.get("suspend").asInt(),
                lives.get("delete").asInt(),
                100 * r.get("write_error_share").asDouble(),
                100 * r.get("status_conflict_share").asDouble(),
                r.get("watch_cut_seconds").asInt(),
                r.get("operator_kills").asInt(),
                killTimes(r),
                r.get("seed").asLong());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "operator SIGKILLed and restarted", r.get("operator_kills").asText()));
        rows.add(List.of(
                "trainer pods killed mid-run (SIGKILL or SIGTERM)",
                r.get("trainer_kills").asText()));
        rows.add(List.of(
                "writes answered 500 before reaching the server",
                r.get("write_errors_before").asText()));
        rows.add(List.of(
                "writes answered 500 after the server applied them",
                r.get("write_errors_after").asText()));
        rows.add(
                List.of("status updates answered 409", r.get("status_conflicts").asText()));
        rows.add(List.of("watch connections cut", r.get("watches_cut").asText()));
        rows.add(List.of(
                "resumed watches answered 410 Gone (then listed anew)",
                r.get("watches_expired").asText()));
        rows.add(List.of("**faults in all**", "**" + r.get("faults_total").asText() + "**"));
        rows.add(List.of("API requests of the operator", r.get("api_requests").asText()));
        rows.add(List.of("trainer Jobs created", r.get("trainer_jobs_created").asText()));
        doc.table(List.of("fault", "count"), rows);
        doc.line(
                "The lives took %.0f s, deleting what was left %.1f s. Checked for every FineTuneJob: it ended as its "
                        + "life says (Succeeded, or gone with nothing it owned left), its `restarts` and `failures` are "
                        + "exactly the expected ones, the last trainer resumed from a checkpoint where it was stopped, it "
                        + "got exactly the trainer Jobs its life calls for (every creation recorded by a watch apart from "
                        + "the operator), no trainer Job was made while a pod of an earlier one had not ended, and the "
                        + "operator was live at the end. %s%n",
                r.get("lives_seconds").asDouble(),
                r.get("cleanup_seconds").asDouble(),
                passed ? "**Every check held.**" : "**Problems:** " + String.join("; ", problems(r)));
        doc.summary(
                Doc.f(
                        "fault injection: %d FineTuneJobs, operator killed %d times, %.0f%% write errors, 409s, watch cuts, "
                                + "trainer kills",
                        jobs,
                        r.get("operator_kills").asInt(),
                        100 * r.get("write_error_share").asDouble()),
                Doc.f(
                        "%s; %d faults injected",
                        passed
                                ? "right end, counts and Jobs for all"
                                : problems(r).size() + " problems",
                        r.get("faults_total").asInt()),
                "every check holds",
                passed && r.get("operator_kills").asInt() == kills);
        doc.data().setAll(r);
        ObjectNode result = doc.finish();
        result.put("allocator", OperatorChild.ALLOCATOR);
        result.put("libtorch", "the trainers'");
        result.put("torch_threads", 1);
        return result;
    }

    private static String killTimes(JsonNode r) {
        List<String> times = new ArrayList<>();
        r.get("operator_killed_at_seconds").forEach(t -> times.add(Doc.f("%.0f", t.asDouble())));
        return String.join(", ", times);
    }

    private static List<String> problems(JsonNode r) {
        List<String> problems = new ArrayList<>();
        r.get("problems").forEach(p -> problems.add(p.asText()));
        return problems;
    }
}
