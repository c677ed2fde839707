package io.dftune.engine.train;

import io.dftune.spec.run.StepMetric;
import java.util.OptionalDouble;

/**
 * What one optimizer step reports: the objective's loss beside the plain NLL (DFT's loss alone
 * is misleading), and how much probability the model puts on the targets. {@link StepMetric}
 * describes each value and where it goes.
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
        double stepSeconds) {

    public OptionalDouble value(StepMetric metric) {
        return OptionalDouble.of(
                switch (metric) {
                    case STEP -> step;
                    case TOTAL_STEPS -> totalSteps;
                    case EPOCH -> epoch;
                    case LOSS -> loss;
                    case NLL -> nll;
                    case MEAN_TARGET_PROB -> meanTargetProb;
                    case LOW_PROB_TOKEN_RATIO -> lowProbTokenRatio;
                    case TOKEN_ACCURACY -> tokenAccuracy;
                    case LEARNING_RATE -> learningRate;
                    case GRAD_NORM -> gradNorm;
                    case TOKENS_PER_SECOND -> tokensPerSecond;
                    case RESPONSE_TOKENS -> responseTokens;
                    case STEP_SECONDS -> stepSeconds;
                });
    }
}
