package io.dftune.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: argmax at temperature 0; otherwise a draw from
 * softmax(logits / temperature), restricted with top-p &lt; 1 to the most likely tokens whose
 * probabilities reach top-p (the nucleus). Each sampler draws from its own seeded stream, one
 * draw per token.
 */
final class TokenSampler {
    private final GenerationSettings settings;
    private final SplittableRandom random;

    TokenSampler(GenerationSettings settings) {
        this(settings, settings.seed());
    }

    TokenSampler(GenerationSettings settings, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed);
    }

    int next(float[] logits) {
        return next(logits, 0, logits.length);
    }

    /** The next token from {@code logits[offset, offset + vocab)}, as an index into that row. */
    int next(float[] logits, int offset, int vocab) {
        int best = argmax(logits, offset, vocab);
        if (settings.temperature() == 0) {
            return best;
        }
        double max = logits[offset + best];
        double[] weights = new double[vocab];
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            weights[i] = Math.exp((logits[offset + i] - max) / settings.temperature());
            total += weights[i];
        }
        if (settings.topP() >= 1) {
            return draw(weights, total);
        }
        int[] order = byWeightDescending(weights);
        double kept = 0;
        int nucleus = 0;
        while (nucleus < order.length && kept < settings.topP() * total) {
            kept += weights[order[nucleus++]];
        }
        double target = random.nextDouble() * kept;
        for (int i = 0; i < nucleus; i++) {
            target -= weights[order[i]];
            if (target <= 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    private int draw(double[] weights, double total) {
        double target = random.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                last = i;
                target -= weights[i];
                if (target <= 0) {
                    return i;
                }
            }
        }
        return last;
    }

    /** Token indices, most likely first (ties: lower index first); a primitive sort, fast for 150k-token vocabularies. */
    private static int[] byWeightDescending(double[] weights) {
        long[] keys = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            // Non-negative floats order like their bits; the complemented index breaks ties towards lower ids.
            keys[i] = ((long) Float.floatToIntBits((float) weights[i]) << 32) | (0xFFFFFFFFL & ~i);
        }
        Arrays.sort(keys);
        int[] order = new int[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = ~(int) keys[keys.length - 1 - i];
        }
        return order;
    }

    static int argmax(float[] values) {
        return argmax(values, 0, values.length);
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
