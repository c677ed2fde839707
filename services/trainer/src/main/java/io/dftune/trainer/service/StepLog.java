package io.dftune.trainer.service;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import io.dftune.spec.run.EvalMetric;
import io.dftune.spec.run.MetricSummary;
import io.dftune.spec.run.StepMetric;
import java.nio.file.Path;
import java.util.Locale;
import org.jboss.logging.Logger;

/** Progress in the pod log: start, a step line at most every {@code interval}, evaluations, checkpoints, the end. */
final class StepLog implements TrainingListener {
    private static final Logger LOG = Logger.getLogger("io.dftune.trainer.run");
    private static final long INTERVAL_NANOS = 30_000_000_000L;
    private long lastLogged = System.nanoTime();

    @Override
    public void onPlan(MemoryPlan plan) {
        LOG.info(plan.describe());
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        LOG.infof(
                "training %d steps of %d examples on %d examples%s",
                plan.totalSteps(),
                plan.batchSize(),
                plan.trainExamples(),
                resumedFromStep > 0 ? ", resumed from step " + resumedFromStep : "");
    }

    @Override
    public void onStep(StepMetrics m) {
        long now = System.nanoTime();
        if (now - lastLogged >= INTERVAL_NANOS || m.step() == m.totalSteps()) {
            lastLogged = now;
            LOG.infof("step %d/%d %s", m.step(), m.totalSteps(), MetricSummary.of(StepMetric.values(), m::value));
        }
    }

    @Override
    public void onEval(EvalMetrics m) {
        LOG.infof("eval at step %d: %s", m.step(), MetricSummary.of(EvalMetric.values(), m::value));
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        LOG.infof("checkpoint %s written in %.1fs", directory, seconds);
    }

    @Override
    public void onFinish(RunResult result) {
        LOG.infof(
                "run %s at step %d of %d%s",
                result.outcome().name().toLowerCase(Locale.ROOT),
                result.stepsDone(),
                result.totalSteps(),
                result.finalModel() != null ? "; model in " + result.finalModel() : "");
    }
}
