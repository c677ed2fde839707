package io.dftune.trainer.service;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.StepMetrics;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Several observers of one run. An observer that throws is logged and skipped: a broken metric
 * or event must not end a run that may have hours of work in it.
 */
final class TrainingListeners implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(TrainingListeners.class);
    private final List<TrainingListener> listeners;

    TrainingListeners(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(String what, Consumer<TrainingListener> call) {
        for (TrainingListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s observer %s failed", what, listener.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void onPlan(MemoryPlan plan) {
        each("plan", l -> l.onPlan(plan));
    }

    @Override
    public void onLoaded(CausalLm model, ModelTokenizer tokenizer) {
        each("loaded", l -> l.onLoaded(model, tokenizer));
    }

    @Override
    public void onStart(TrainingPlan plan, long resumedFromStep) {
        each("start", l -> l.onStart(plan, resumedFromStep));
    }

    @Override
    public void onStep(StepMetrics metrics) {
        each("step", l -> l.onStep(metrics));
    }

    @Override
    public void onEvalStart(long step) {
        each("eval start", l -> l.onEvalStart(step));
    }

    @Override
    public void onEval(EvalMetrics metrics) {
        each("eval", l -> l.onEval(metrics));
    }

    @Override
    public void onCheckpoint(long step, Path directory, double seconds) {
        each("checkpoint", l -> l.onCheckpoint(step, directory, seconds));
    }

    @Override
    public void onFinish(RunResult result) {
        each("finish", l -> l.onFinish(result));
    }
}
