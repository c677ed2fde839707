package io.dftune.trainer.cli;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.MetricSummary;
import io.dftune.spec.run.StepMetric;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress line (step, ETA, loss beside NLL) and the evaluations, for a terminal. */
final class ProgressDisplay implements TrainingListener {
    private final PrintStream out;
    private final String objective;
    private ProgressBar bar;
    private EvalMetrics first;
    private EvalMetrics last;

    ProgressDisplay(PrintStream out, String objective) {
        this.out = out;
        this.objective = objective;
    }

    @Override
    public void onPlan(MemoryPlan plan) {
        out.println(ComputeSetup.describe() + ", " + plan.precision().describe());
        out.println(plan.describe());
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        if (resumedFromStep > 0) {
            out.printf("resuming from checkpoint at step %d of %d%n", resumedFromStep, plan.totalSteps());
        }
        out.printf(
                "training %d steps of %d examples (%d per micro-batch) on %d examples, objective %s%n",
                plan.totalSteps(), plan.batchSize(), plan.microBatchSize(), plan.trainExamples(), objective);
        bar = new ProgressBarBuilder()
                .setTaskName(objective)
                .setInitialMax(plan.totalSteps())
                .startsFrom(resumedFromStep, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setMaxRenderedLength(120)
                .build();
    }

    @Override
    public void onStep(StepMetrics m) {
        bar.stepTo(m.step());
        bar.setExtraMessage(MetricSummary.of(StepMetric.values(), m::value));
    }

    @Override
    public void onEvalStart(long step) {
        if (bar != null) {
            bar.setExtraMessage("evaluating at step " + step + "...");
        }
    }

    @Override
    public void onEval(EvalMetrics m) {
        if (first == null) {
            first = m;
        }
        last = m;
        if (m.step() > 0) {
            bar.pause();
            out.println();
            out.println("eval at step " + m.step() + ": " + describe(m));
            bar.resume();
        } else {
            out.println("eval before training: " + describe(m));
        }
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        bar.setExtraMessage(String.format("checkpoint step %d written in %.1fs", step, seconds));
    }

    @Override
    public void onFinish(RunResult result) {
        if (bar != null) {
            bar.close();
        }
        if (first != null && last != null && last != first) {
            out.println();
            out.println("                  before      after");
            row("nll", first.nll(), last.nll());
            row("mean target prob", first.meanTargetProb(), last.meanTargetProb());
            row("token accuracy", first.tokenAccuracy(), last.tokenAccuracy());
            if (first.hasExactMatch()) {
                row("exact match", first.exactMatch(), last.exactMatch());
            }
        }
        switch (result.outcome()) {
            case SUCCEEDED -> out.println("fine-tuned model written to " + result.finalModel());
            case CANCELLED -> out.printf("cancelled at step %d; a checkpoint was written%n", result.stepsDone());
            case PREEMPTED ->
                out.printf("stopped at step %d; a checkpoint was written, run again to resume%n", result.stepsDone());
        }
    }

    private void row(String name, double before, double after) {
        out.printf("  %-16s %9.4f  %9.4f%n", name, before, after);
    }

    static String describe(EvalMetrics m) {
        return MetricSummary.of(EvalMetric.values(), m::value);
    }
}
