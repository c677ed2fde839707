package io.dftune.engine.train;

/**
 * What one optimizer step reports: the objective's loss beside the plain NLL (DFT's loss alone
 * is misleading), and how much probability the model puts on the targets.
 */
public record StepMetrics(
        long step,
        long totalSteps,
        double epoch,
        double loss,
        double nll,
        double meanTargetProb,
        double lowProbTokenRatio,
        double tokenAccuracy,
        double learningRate,
        double gradNorm,
        double tokensPerSecond,
        long responseTokens,
        double stepSeconds) {}
