package io.dftune.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Start-up: from starting {@code bin/dftune run examples/arithmetic/job.yaml} (the launcher users
 * run, with its JVM options and memory allocator) to the first optimizer step's line in
 * {@code metrics.jsonl}, with the native libraries already unpacked and the trainer built.
 */
final class StartupBench implements Benchmark {
    private static final double TARGET_SECONDS = 3.0;
    private static final List<String> MARKS = List.of(ExampleRun.LOADED, ExampleRun.EVALUATED, ExampleRun.FIRST_STEP);
    private static final String AS_SHIPPED = "bundled example as shipped";
    private static final Map<String, UnaryOperator<List<String>>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put(AS_SHIPPED, UnaryOperator.identity());
        VARIANTS.put("same job without its eval set", lines -> lines.stream()
                .filter(l -> !l.strip().startsWith("eval:"))
                .toList());
    }

    @Override
    public ObjectNode run(Context context) {
        Context.requireFile(
                context.trainerJar(), "build the trainer (bench/run does: mvn -pl services/trainer -am package)");
        int repeats = context.quick() ? 1 : 5;
        Map<String, Map<String, Samples>> variants = new LinkedHashMap<>();
        for (String variant : VARIANTS.keySet()) {
            Map<String, Samples> marks = new LinkedHashMap<>();
            MARKS.forEach(m -> marks.put(m, new Samples()));
            variants.put(variant, marks);
        }
        for (int i = 0; i < repeats; i++) {
            for (Map.Entry<String, UnaryOperator<List<String>>> variant : VARIANTS.entrySet()) {
                ExampleRun run = ExampleRun.run(context, variant.getValue(), List.of(), Map.of(), 1);
                Bench.log("start-up %s, run %d: %s", variant.getKey(), i + 1, run.marks());
                run.marks()
                        .forEach((mark, seconds) ->
                                variants.get(variant.getKey()).get(mark).add(seconds));
            }
        }
        Doc doc = new Doc("Start-up: process start to first optimizer step");
        doc.line(
                "`bin/dftune run examples/arithmetic/job.yaml` (the launcher, its JVM options and memory allocator, "
                        + "%d libtorch threads), native libraries already unpacked, each run in a fresh copy of the example, the "
                        + "two variants alternating, %d runs each. The example evaluates the base model before its first step "
                        + "(token metrics and greedy decoding of its %s); the second variant is the same job with "
                        + "`spec.data.eval` removed, i.e. the start-up cost alone. Seconds from process start to:%n",
                context.threads(), repeats, "200 eval prompts");
        List<List<String>> rows = new ArrayList<>();
        for (String mark : MARKS) {
            List<String> row = new ArrayList<>(List.of(mark));
            variants.values()
                    .forEach(marks -> row.add(
                            marks.get(mark).count() == 0 ? "-" : marks.get(mark).describe("%.2f")));
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("mark"));
        header.addAll(VARIANTS.keySet());
        doc.table(header, rows);
        for (String variant : VARIANTS.keySet()) {
            double first = variants.get(variant).get(ExampleRun.FIRST_STEP).median();
            doc.summary(
                    "start-up to first optimizer step, " + variant,
                    Doc.f("%.2f s", first),
                    "< 3 s",
                    first < TARGET_SECONDS);
            ObjectNode json = doc.data().putObject(variant);
            variants.get(variant).forEach((mark, samples) -> json.set(mark, samples.toJson()));
        }
        ObjectNode result = doc.finish();
        result.put("libtorch", "the trainer's");
        return result;
    }
}
