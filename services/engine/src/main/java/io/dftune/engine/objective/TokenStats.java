package io.dftune.engine.objective;

/**
 * Sums over response tokens from which every reported per-token metric is derived. Adding the
 * stats of several micro-batches gives exactly the stats of the whole optimizer step.
 */
public final class TokenStats {
    /** Tokens whose probability is below this count as "low probability" (DFT down-weights them). */
    public static final double LOW_PROBABILITY = 0.1;

    private long tokens;
    private double objectiveSum;
    private double nllSum;
    private double dftSum;
    private double probabilitySum;
    private long lowProbabilityTokens;
    private long correctTokens;

    /** Adds one chunk: target log-probs, whether argmax hit the target, and the objective's sum. */
    public void add(float[] targetLogProbs, boolean[] argmaxCorrect, double objectiveLossSum) {
        for (int i = 0; i < targetLogProbs.length; i++) {
            double logP = targetLogProbs[i];
            double p = Math.exp(logP);
            nllSum -= logP;
            dftSum -= p * logP;
            probabilitySum += p;
            if (p < LOW_PROBABILITY) {
                lowProbabilityTokens++;
            }
            if (argmaxCorrect[i]) {
                correctTokens++;
            }
        }
        tokens += targetLogProbs.length;
        objectiveSum += objectiveLossSum;
    }

    public void add(TokenStats other) {
        tokens += other.tokens;
        objectiveSum += other.objectiveSum;
        nllSum += other.nllSum;
        dftSum += other.dftSum;
        probabilitySum += other.probabilitySum;
        lowProbabilityTokens += other.lowProbabilityTokens;
        correctTokens += other.correctTokens;
    }

    public long tokens() {
        return tokens;
    }

    /** The objective's loss: its per-token sum divided by the response-token count. */
    public double objectiveLoss() {
        return mean(objectiveSum);
    }

    public double nll() {
        return mean(nllSum);
    }

    public double dftLoss() {
        return mean(dftSum);
    }

    public double meanTargetProbability() {
        return mean(probabilitySum);
    }

    public double lowProbabilityRatio() {
        return mean(lowProbabilityTokens);
    }

    public double tokenAccuracy() {
        return mean(correctTokens);
    }

    private double mean(double sum) {
        return tokens == 0 ? Double.NaN : sum / tokens;
    }
}
