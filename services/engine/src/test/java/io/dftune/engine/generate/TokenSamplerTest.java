package io.dftune.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Draw frequencies against softmax(logits / T) and its nucleus, computed here separately. */
class TokenSamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, -2.0f, 2.5f, 0.0f, 3.0f};
    private static final int DRAWS = 200_000;

    private static double[] frequencies(GenerationSettings settings) {
        TokenSampler sampler = new TokenSampler(settings, 17);
        // The row sits inside a longer array, as a row of a batch's logits does.
        float[] batch = new float[LOGITS.length * 3];
        System.arraycopy(LOGITS, 0, batch, LOGITS.length, LOGITS.length);
        double[] counts = new double[LOGITS.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.next(batch, LOGITS.length, LOGITS.length)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= DRAWS;
        }
        return counts;
    }

    private static double[] softmax(double temperature) {
        double[] p = new double[LOGITS.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(LOGITS[i] / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void samplesFromTheTemperedSoftmax() {
        for (double t : new double[] {1.0, 0.5, 2.0}) {
            double[] expected = softmax(t);
            double[] observed = frequencies(new GenerationSettings(8, t, 1.0, 0));
            for (int i = 0; i < expected.length; i++) {
                assertThat(observed[i]).as("T=%s token %d", t, i).isCloseTo(expected[i], within(0.005));
            }
        }
    }

    @Test
    void topPKeepsTheSmallestSetOfLikeliestTokensReachingIt() {
        double[] p = softmax(1.0); // tokens 1 and 5 tie (0.356 each), then 3 (0.216)
        // 0.5: the first tied token alone (0.356) is short, both (0.712) reach it: renormalised 1/2 each.
        double[] observed = frequencies(new GenerationSettings(8, 1.0, 0.5, 0));
        assertThat(observed[1]).isCloseTo(0.5, within(0.005));
        assertThat(observed[5]).isCloseTo(0.5, within(0.005));
        // 0.8: tokens 1, 5 and 3 (0.928).
        observed = frequencies(new GenerationSettings(8, 1.0, 0.8, 0));
        double kept = p[1] + p[5] + p[3];
        assertThat(observed[3]).isCloseTo(p[3] / kept, within(0.005));
        assertThat(observed[0] + observed[2] + observed[4]).isZero();
    }

    @Test
    void temperatureZeroIsArgmaxAndTheSameSeedDrawsTheSameTokens() {
        assertThat(new TokenSampler(GenerationSettings.greedy(4)).next(LOGITS)).isEqualTo(1);
        GenerationSettings sampling = new GenerationSettings(8, 1.0, 0.9, 0);
        TokenSampler a = new TokenSampler(sampling, 3);
        TokenSampler b = new TokenSampler(sampling, 3);
        for (int i = 0; i < 100; i++) {
            assertThat(a.next(LOGITS)).isEqualTo(b.next(LOGITS));
        }
    }
}
