package io.dftune.engine.train;

import io.dftune.engine.eval.EvalMetrics;
import java.nio.file.Path;

/** The end of a run: outcome, steps done, final evaluation (null without eval data), final model dir. */
public record RunResult(RunOutcome outcome, long stepsDone, long totalSteps, EvalMetrics finalEval, Path finalModel) {}
