package io.dftune.trainer.cluster;

import io.dftune.spec.LocalVolumes;
import io.dftune.trainer.experiment.CurvePoint;
import io.dftune.trainer.experiment.ExperimentPlan;
import io.dftune.trainer.experiment.ExperimentResults;
import io.dftune.trainer.experiment.RunKey;
import io.dftune.trainer.experiment.RunScores;
import io.dftune.trainer.experiment.RunSelection;
import io.dftune.trainer.experiment.Score;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs an experiment as FineTuneJobs, a client of the operator: it creates each run's job when the
 * run is due (each arm's sweep first, the other seeds once the arm's sweep has finished and its rate
 * is chosen), at most {@code parallel} unfinished at a time; reads the scores from their statuses;
 * stops a run that collapses; and ends when every run it needs has finished. Everything it knows
 * is read back from the cluster on each pass, so a restarted command carries on where the last one
 * stopped, creating only what is missing.
 */
public final class ClusterComparison {
    /** The one column of a cluster experiment's tables: the runs' trainers score the validation set only. */
    static final String SCORED_SET = "validation";

    private final ExperimentPlan plan;
    private final RunNames names;
    private final RunManifests manifests;
    private final FineTuneJobClient jobs;
    private final CollapseRule collapse;
    private final int parallel;
    private final Duration poll;
    private final Consumer<String> log;

    public ClusterComparison(
            ExperimentPlan plan,
            LocalVolumes volumes,
            io.fabric8.kubernetes.client.KubernetesClient client,
            String namespace,
            String queue,
            int parallel,
            double collapseMargin,
            Duration poll,
            Consumer<String> log) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
        }
        this.plan = plan;
        this.names = new RunNames(plan);
        this.manifests = new RunManifests(plan, names, volumes, namespace, queue);
        this.jobs = new FineTuneJobClient(client, namespace);
        this.collapse = new CollapseRule(collapseMargin);
        this.parallel = parallel;
        this.poll = poll;
        this.log = log;
    }

    public ExperimentResults run() throws InterruptedException {
        while (true) {
            Map<RunKey, ObservedRun> runs = observe();
            Optional<Score> base = runs.values().stream()
                    .map(ObservedRun::baseEval)
                    .filter(s -> s != null)
                    .findFirst();
            base.ifPresent(b -> stopCollapsed(b, runs));
            List<RunKey> due = due(runs);
            long unfinished = runs.values().stream().filter(r -> !r.finished()).count();
            for (RunKey key : due) {
                if (!runs.containsKey(key) && unfinished < parallel) {
                    jobs.create(manifests.manifest(key));
                    log.accept("created " + names.name(key) + " (" + key.label() + ")");
                    unfinished++;
                }
            }
            if (complete(runs)) {
                return results(
                        base.orElseThrow(() -> new IllegalStateException("no FineTuneJob of the experiment shows the"
                                + " evaluation before training (status.metrics.baseEval), the base model's score")),
                        runs);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** The experiment's jobs by run; a failed one, or one made for another spec, ends the command. */
    private Map<RunKey, ObservedRun> observe() {
        Map<RunKey, ObservedRun> runs = new LinkedHashMap<>();
        for (FineTuneJobClient.Listed listed : jobs.list(names.experiment())) {
            Optional<RunKey> key = names.key(listed.name());
            if (key.isEmpty()) {
                continue; // labelled with the experiment's name, but not one of its runs
            }
            String expected =
                    manifests.manifest(key.get()).getMetadata().getAnnotations().get(RunNames.SPEC_HASH);
            if (!expected.equals(listed.annotations().get(RunNames.SPEC_HASH))) {
                throw new IllegalStateException("FineTuneJob " + listed.name() + " exists with another spec than this"
                        + " experiment gives it (another experiment of the same name, or a changed file): delete"
                        + " the experiment's jobs (kubectl delete ftj -l " + RunNames.EXPERIMENT + "="
                        + names.experiment() + ") or give the experiment another name:");
            }
            ObservedRun run = ObservedRun.of(
                    key.get(),
                    listed.name(),
                    expected,
                    listed.annotations().get(RunNames.STOPPED_EARLY),
                    listed.status());
            if (run.failed()) {
                throw new IllegalStateException("FineTuneJob " + run.name() + " ("
                        + run.key().label() + ") failed: " + run.message() + "; delete it to run it again");
            }
            runs.put(run.key(), run);
        }
        return runs;
    }

    private void stopCollapsed(Score base, Map<RunKey, ObservedRun> runs) {
        for (ObservedRun run : List.copyOf(runs.values())) {
            if (run.finished()) {
                continue;
            }
            Optional<String> reason = collapse.check(base, run.eval(), run.evalStep(), run.totalSteps());
            if (reason.isPresent()) {
                jobs.stop(run.name(), reason.get());
                log.accept("stopped " + run.name() + " early: " + reason.get());
                runs.put(run.key(), run.stopped(reason.get()));
            }
        }
    }

    /** The sweep of every arm, and the other seeds of each arm whose sweep has finished. */
    private List<RunKey> due(Map<RunKey, ObservedRun> runs) {
        List<RunKey> due = new ArrayList<>();
        for (ExperimentPlan.Arm arm : plan.arms()) {
            List<RunKey> sweep = RunSelection.sweep(plan, arm);
            due.addAll(sweep);
            if (sweep.stream().allMatch(k -> runs.containsKey(k) && runs.get(k).finished())) {
                double rate = RunSelection.bestRate(
                        sweep.stream().map(k -> scores(runs.get(k))).toList());
                RunSelection.atRate(plan, arm, rate).stream()
                        .filter(k -> !due.contains(k))
                        .forEach(due::add);
            }
        }
        return due;
    }

    private boolean complete(Map<RunKey, ObservedRun> runs) {
        for (ExperimentPlan.Arm arm : plan.arms()) {
            List<RunKey> sweep = RunSelection.sweep(plan, arm);
            if (!sweep.stream().allMatch(k -> runs.containsKey(k) && runs.get(k).finished())) {
                return false;
            }
        }
        return due(runs).stream()
                .allMatch(k -> runs.containsKey(k) && runs.get(k).finished());
    }

    private static RunScores scores(ObservedRun run) {
        if (run.validation() == null) {
            throw new IllegalStateException("FineTuneJob " + run.name() + " finished without an evaluation with"
                    + " answers in its status (status.metrics.eval.exactMatch): the validation set needs"
                    + " \"answer\" fields");
        }
        return new RunScores(run.key(), run.validation(), Map.of(SCORED_SET, run.validation()));
    }

    private ExperimentResults results(Score base, Map<RunKey, ObservedRun> runs) {
        Map<RunKey, RunScores> scores = new LinkedHashMap<>();
        Map<RunKey, List<CurvePoint>> curves = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        notes.add("Scored on the validation set, which also chose the learning rates: on the cluster each run's"
                + " trainer evaluates the validation set, and the test sets need the fine-tuned models, which stay"
                + " on the claim (status.finalModel of each FineTuneJob; score them with dftune eval).");
        runs.forEach((key, run) -> {
            scores.put(key, scores(run));
            curves.put(key, run.curve());
            if (run.stoppedEarly() != null) {
                notes.add(key.label() + " (FineTuneJob " + run.name() + ") was stopped early: " + run.stoppedEarly()
                        + "; its score is that evaluation's.");
            }
        });
        ExperimentPlan reported = plan.withTests(Map.of(SCORED_SET, plan.validation()));
        RunScores baseScores = new RunScores(new RunKey("base", 0, 0), base, Map.of(SCORED_SET, base));
        return ExperimentResults.assemble(reported, baseScores, scores, curves, notes);
    }
}
