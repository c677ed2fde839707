package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dftune.spec.AnswerComparison;
import io.dftune.spec.AnswerExtraction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sampling metrics against computations written separately: subsets enumerated, votes counted. */
class SampleScoresTest {
    private static final AnswerGrader EXACT = new AnswerGrader(
            new AnswerExtractor(AnswerExtraction.MARKER, "####", null), AnswerComparator.of(AnswerComparison.EXACT));

    /** pass@k by definition: the share of the k-subsets of the n samples that hold a correct one. */
    private static double passAtKByEnumeration(boolean[] correct, int k) {
        int n = correct.length;
        long subsets = 0;
        long withCorrect = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            subsets++;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                any |= (mask >> i & 1) == 1 && correct[i];
            }
            withCorrect += any ? 1 : 0;
        }
        return (double) withCorrect / subsets;
    }

    @Test
    void passAtKIsTheShareOfKSubsetsWithACorrectSample() {
        Random random = new Random(5);
        for (int n = 1; n <= 12; n++) {
            for (int trial = 0; trial < 6; trial++) {
                boolean[] correct = new boolean[n];
                int c = 0;
                for (int i = 0; i < n; i++) {
                    correct[i] = random.nextDouble() < 0.3;
                    c += correct[i] ? 1 : 0;
                }
                for (int k = 1; k <= n; k++) {
                    assertThat(SampleScores.passAtK(n, c, k))
                            .as("n=%d c=%d k=%d", n, c, k)
                            .isCloseTo(passAtKByEnumeration(correct, k), within(1e-12));
                }
            }
        }
    }

    @Test
    void passAtKStaysExactWhereTheBinomialsOverflow() {
        // C(1000, 500) overflows a double; the product form does not. Reference: 1 - prod (1 - k/i) in BigDecimal.
        java.math.BigDecimal allWrong = java.math.BigDecimal.ONE;
        for (int i = 1000 - 3 + 1; i <= 1000; i++) {
            allWrong = allWrong.multiply(java.math.BigDecimal.valueOf(i - 500)
                    .divide(java.math.BigDecimal.valueOf(i), java.math.MathContext.DECIMAL128));
        }
        assertThat(SampleScores.passAtK(1000, 3, 500)).isCloseTo(1 - allWrong.doubleValue(), within(1e-15));
        assertThat(SampleScores.passAtK(16, 0, 16)).isZero();
        assertThat(SampleScores.passAtK(16, 1, 16)).isEqualTo(1.0);
    }

    @Test
    void theMajorityAnswerDecidesTiesGoToTheFirstAndMissingAnswersDoNotVote() {
        Random random = new Random(9);
        String[] pool = {"1", "2", "3", null};
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(8);
            List<String> extracted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                extracted.add(pool[random.nextInt(pool.length)]);
            }
            String reference = pool[random.nextInt(3)];
            List<Boolean> correct = extracted.stream().map(reference::equals).toList();

            // Count the votes with a map; the winner has the most, then the earliest first appearance.
            Map<String, Integer> votes = new HashMap<>();
            extracted.stream().filter(a -> a != null).forEach(a -> votes.merge(a, 1, Integer::sum));
            String winner = extracted.stream()
                    .filter(a -> a != null)
                    .filter(a -> votes.get(a)
                            .equals(votes.values().stream()
                                    .max(Integer::compare)
                                    .orElseThrow()))
                    .findFirst()
                    .orElse(null);

            assertThat(SampleScores.majorityCorrect(extracted, correct, EXACT))
                    .as("%s vs %s", extracted, reference)
                    .isEqualTo(reference.equals(winner));
        }
    }

    @Test
    void majorityVotesGroupEquivalentMathAnswers() {
        AnswerGrader math = new AnswerGrader(
                new AnswerExtractor(AnswerExtraction.BOXED, "####", null), AnswerComparator.of(AnswerComparison.MATH));
        List<String> extracted = Arrays.asList("0.5", "3", "\\frac{1}{2}", "3", "1/2");
        assertThat(SampleScores.majorityCorrect(extracted, List.of(true, false, true, false, true), math))
                .isTrue();
    }
}
