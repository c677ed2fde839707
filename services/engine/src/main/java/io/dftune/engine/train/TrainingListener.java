package io.dftune.engine.train;

import io.dftune.engine.eval.EvalMetrics;
import java.nio.file.Path;

/** Observes a run: the CLI's progress display and the trainer service's event stream. */
public interface TrainingListener {
    default void onStart(TrainingPlan plan, long resumedFromStep) {}

    default void onStep(StepMetrics metrics) {}

    default void onEvalStart(long step) {}

    default void onEval(EvalMetrics metrics) {}

    default void onCheckpoint(long step, Path directory, double seconds) {}

    default void onFinish(RunResult result) {}

    TrainingListener NONE = new TrainingListener() {};
}
