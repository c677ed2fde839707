package io.dftune.trainer.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of an experiment: the base model's scores, each arm's learning-rate sweep, and the
 * runs at each arm's chosen rate (one per seed), summarised as mean and spread over the seeds; the
 * training curve of each run, and notes for the reader (runs stopped early, what was scored). The
 * one report of {@code dftune compare}, whether its runs ran here or on a cluster.
 */
public record ExperimentResults(
        ExperimentPlan plan,
        RunScores base,
        Map<String, List<RunScores>> sweeps,
        List<RunScores> chosen,
        Map<RunKey, List<CurvePoint>> curves,
        List<String> notes) {
    /** The sampling metrics by their names in results.json, in order; NaN for a score without samples. */
    private static final Map<String, ToDoubleFunction<Score>> SAMPLED = sampledMetrics();

    private static Map<String, ToDoubleFunction<Score>> sampledMetrics() {
        Map<String, ToDoubleFunction<Score>> metrics = new LinkedHashMap<>();
        metrics.put("avgAtK", s -> s.avgAtK() == null ? Double.NaN : s.avgAtK());
        metrics.put("passAtK", s -> s.passAtK() == null ? Double.NaN : s.passAtK());
        metrics.put("majAtK", s -> s.majAtK() == null ? Double.NaN : s.majAtK());
        return metrics;
    }

    /**
     * Each arm's sweep and its runs at the chosen rate ({@link RunSelection}), from the scores of
     * every run; a chosen run's scores carry its test sets.
     */
    public static ExperimentResults assemble(
            ExperimentPlan plan,
            RunScores base,
            Map<RunKey, RunScores> runs,
            Map<RunKey, List<CurvePoint>> curves,
            List<String> notes) {
        Map<String, List<RunScores>> sweeps = new LinkedHashMap<>();
        List<RunScores> chosen = new ArrayList<>();
        for (ExperimentPlan.Arm arm : plan.arms()) {
            List<RunScores> sweep =
                    RunSelection.sweep(plan, arm).stream().map(runs::get).toList();
            sweeps.put(arm.name(), sweep);
            RunSelection.atRate(plan, arm, RunSelection.bestRate(sweep)).forEach(key -> chosen.add(runs.get(key)));
        }
        return new ExperimentResults(plan, base, sweeps, chosen, curves, List.copyOf(notes));
    }

    /** Mean and sample standard deviation over seeds (0 for a single seed). */
    public record Summary(double mean, double sd, int n) {
        static Summary of(List<Double> values) {
            double mean =
                    values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double squares =
                    values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            double sd = values.size() > 1 ? Math.sqrt(squares / (values.size() - 1)) : 0;
            return new Summary(mean, sd, values.size());
        }
    }

    public List<RunScores> runsOf(String arm) {
        return chosen.stream().filter(r -> r.key().arm().equals(arm)).toList();
    }

    public double chosenRate(String arm) {
        return runsOf(arm).get(0).key().learningRate();
    }

    public Summary exactMatch(String arm, String test) {
        return summary(arm, test, Score::exactMatch);
    }

    /** The k of avg@k when the evaluations sampled more than one completion per prompt; empty otherwise. */
    public OptionalInt samples() {
        Score score = base.validation();
        return score.sampled() ? OptionalInt.of(score.k()) : OptionalInt.empty();
    }

    /** The validation metric that chose each arm's learning rate ({@link RunSelection#bestRate}). */
    public String selectionMetric() {
        return base.validation().selectionMetric();
    }

    /** The accuracies the tables show: accuracy@1, and avg@k beside it when the evaluations sampled. */
    private Map<String, ToDoubleFunction<Score>> accuracies() {
        Map<String, ToDoubleFunction<Score>> shown = new LinkedHashMap<>();
        if (samples().isEmpty()) {
            shown.put("", Score::exactMatch);
        } else {
            shown.put(" accuracy@1", Score::exactMatch);
            shown.put(" avg@" + samples().getAsInt(), SAMPLED.get("avgAtK"));
        }
        return shown;
    }

    public Summary summary(String arm, String test, ToDoubleFunction<Score> measure) {
        return Summary.of(runsOf(arm).stream()
                .map(r -> measure.applyAsDouble(r.tests().get(test)))
                .toList());
    }

    /**
     * Accuracy in percent, mean ± sd over seeds, one row per arm under the base model's row: per test
     * set exact match (accuracy@1), and avg@k beside it when the evaluations sampled.
     */
    public String accuracyTable() {
        Map<String, ToDoubleFunction<Score>> shown = accuracies();
        StringBuilder md = new StringBuilder("| | learning rate |");
        plan.tests().keySet().forEach(test -> shown.keySet()
                .forEach(metric -> md.append(' ').append(test).append(metric).append(" |")));
        int columns = plan.tests().size() * shown.size();
        md.append("\n|---|---|").append("---|".repeat(columns)).append('\n');
        md.append("| base model | |");
        plan.tests().keySet().forEach(test -> shown.values()
                .forEach(measure -> md.append(String.format(
                        Locale.ROOT,
                        " %.1f |",
                        100 * measure.applyAsDouble(base.tests().get(test))))));
        md.append('\n');
        for (ExperimentPlan.Arm arm : plan.arms()) {
            md.append("| ")
                    .append(arm.name())
                    .append(" | ")
                    .append(chosenRate(arm.name()))
                    .append(" |");
            for (String test : plan.tests().keySet()) {
                for (ToDoubleFunction<Score> measure : shown.values()) {
                    Summary s = summary(arm.name(), test, measure);
                    md.append(String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * s.mean(), 100 * s.sd()));
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The validation accuracy that chose the rate (percent; {@link #selectionMetric()}) at every swept rate, first seed. */
    public String sweepTable() {
        StringBuilder md = new StringBuilder("| |");
        plan.learningRates().forEach(rate -> md.append(" lr ").append(rate).append(" |"));
        md.append("\n|---|").append("---|".repeat(plan.learningRates().size())).append('\n');
        sweeps.forEach((arm, runs) -> {
            md.append("| ").append(arm).append(" |");
            runs.forEach(r -> md.append(
                    String.format(Locale.ROOT, " %.1f |", 100 * r.validation().selectionAccuracy())));
            md.append('\n');
        });
        md.append(String.format(
                Locale.ROOT, "| base model | %.1f |%n", 100 * base.validation().selectionAccuracy()));
        return md.toString();
    }

    /** NLL and mean target probability on the given test set, mean over seeds. */
    public String likelihoodTable(String test) {
        StringBuilder md = new StringBuilder("| | NLL | mean target probability |\n|---|---|---|\n");
        md.append(String.format(
                Locale.ROOT,
                "| base model | %.4f | %.3f |%n",
                base.tests().get(test).nll(),
                base.tests().get(test).meanTargetProb()));
        for (ExperimentPlan.Arm arm : plan.arms()) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.4f | %.3f |%n",
                    arm.name(),
                    summary(arm.name(), test, Score::nll).mean(),
                    summary(arm.name(), test, Score::meanTargetProb).mean()));
        }
        return md.toString();
    }

    /** Writes {@code results.md}, {@code results.json} and {@code curves.png} into the output folder. */
    public void write() throws IOException {
        Path out = plan.output();
        Files.createDirectories(out);
        String firstTest = plan.tests().keySet().iterator().next();
        String accuracy = samples().isEmpty()
                ? "Exact match of the final answer (%)"
                : "Accuracy of the final answer (%): accuracy@1 of the greedy answer, avg@"
                        + samples().getAsInt() + " the mean over " + samples().getAsInt()
                        + " sampled answers per prompt";
        String md = "# Results of " + plan.file().getFileName() + "\n\n"
                + accuracy + ", mean ± sd over seeds " + plan.seeds() + ":\n\n"
                + accuracyTable() + "\nValidation " + selectionMetric() + " (%) of the learning-rate sweep (seed "
                + plan.seeds().get(0) + "); the best chose each arm's learning rate:\n\n" + sweepTable()
                + "\nLikelihood on " + firstTest + ":\n\n" + likelihoodTable(firstTest) + notesSection();
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("results.json"), toJson());
        new CurvesChart(this).writePng(out.resolve("curves.png"));
    }

    private String notesSection() {
        StringBuilder md = new StringBuilder();
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private String toJson() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("learningRateChosenBy", "validation " + selectionMetric());
        samples().ifPresent(k -> root.put("k", k));
        root.set("base", json.valueToTree(base));
        ArrayNode arms = root.putArray("arms");
        for (ExperimentPlan.Arm arm : plan.arms()) {
            ObjectNode node = arms.addObject();
            node.put("name", arm.name());
            node.set("objective", json.valueToTree(arm.objective()));
            node.put("learningRate", chosenRate(arm.name()));
            ObjectNode tests = node.putObject("exactMatch");
            plan.tests().keySet().forEach(test -> tests.set(test, json.valueToTree(exactMatch(arm.name(), test))));
            if (samples().isPresent()) {
                SAMPLED.forEach((metric, measure) -> {
                    ObjectNode byTest = node.putObject(metric);
                    plan.tests()
                            .keySet()
                            .forEach(test -> byTest.set(test, json.valueToTree(summary(arm.name(), test, measure))));
                });
            }
            node.set("runs", json.valueToTree(runsOf(arm.name())));
            node.set("sweep", json.valueToTree(sweeps.get(arm.name())));
        }
        root.set("notes", json.valueToTree(notes));
        return json.writeValueAsString(root);
    }
}
