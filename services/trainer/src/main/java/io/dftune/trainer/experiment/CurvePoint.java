package io.dftune.trainer.experiment;

/** One training step's objective loss, NLL and mean target probability, for the curves chart. */
public record CurvePoint(long step, double loss, double nll, double meanTargetProb) {}
