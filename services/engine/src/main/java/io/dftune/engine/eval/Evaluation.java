package io.dftune.engine.eval;

import java.util.List;

/** An evaluation's metrics and, per prompt with a reference answer, what the model answered. */
public record Evaluation(EvalMetrics metrics, List<PromptResult> results) {}
