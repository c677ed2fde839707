package io.dftune.trainer.experiment;

import java.util.Map;

/** The scores of one run (or of the base model): validation, and the test sets by name once scored. */
public record RunScores(RunKey key, Score validation, Map<String, Score> tests) {}
