package io.dftune.engine.train;

import io.dftune.engine.eval.EvalMetrics;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.plan.MemoryPlan;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.nio.file.Path;

/** Observes a run: the CLI's progress display and the trainer service's event stream. */
public interface TrainingListener {
    /** The run's memory plan, computed before anything is loaded (a plan that does not fit ends the run). */
    default void onPlan(MemoryPlan plan) {}

    /** The run has loaded its model (from the newest checkpoint or the base) and tokenizer. */
    default void onLoaded(CausalLm model, ModelTokenizer tokenizer) {}

    default void onStart(TrainingPlan plan, long resumedFromStep) {}

    default void onStep(StepMetrics metrics) {}

    default void onEvalStart(long step) {}

    default void onEval(EvalMetrics metrics) {}

    default void onCheckpoint(long step, Path directory, double seconds) {}

    default void onFinish(RunResult result) {}

    TrainingListener NONE = new TrainingListener() {};
}
