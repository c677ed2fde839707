package io.dftune.engine.generate;

/**
 * How to pick tokens: {@code temperature == 0} is greedy decoding; otherwise nucleus sampling
 * over the smallest set of tokens whose probability reaches {@code topP}, seeded for repeatability.
 */
public record GenerationSettings(int maxNewTokens, double temperature, double topP, long seed) {
    public GenerationSettings {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    public static GenerationSettings greedy(int maxNewTokens) {
        return new GenerationSettings(maxNewTokens, 0, 1, 0);
    }
}
