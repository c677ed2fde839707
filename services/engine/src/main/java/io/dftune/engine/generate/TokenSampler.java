package io.dftune.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from a row of logits: argmax, or temperature + top-p sampling. */
final class TokenSampler {
    private final GenerationSettings settings;
    private final SplittableRandom random;

    TokenSampler(GenerationSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    int next(float[] logits) {
        if (settings.temperature() == 0) {
            return argmax(logits);
        }
        double max = logits[argmax(logits)];
        double[] probabilities = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp((logits[i] - max) / settings.temperature());
            total += probabilities[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        double kept = 0;
        int nucleus = 0;
        while (nucleus < order.length && kept < settings.topP() * total) {
            kept += probabilities[order[nucleus++]];
        }
        double draw = random.nextDouble() * kept;
        for (int i = 0; i < nucleus; i++) {
            draw -= probabilities[order[i]];
            if (draw <= 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
