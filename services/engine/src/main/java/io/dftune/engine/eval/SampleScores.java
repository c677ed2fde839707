package io.dftune.engine.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The sampling metrics of one prompt with n graded samples: the share correct (averaged over
 * prompts: avg@k), pass@k by the unbiased estimator of Chen et al. (2021), and whether the
 * majority answer is correct (maj@k).
 */
public final class SampleScores {
    private SampleScores() {}

    /**
     * The probability that at least one of k samples drawn without replacement from n, of which c
     * are correct, is correct: {@code 1 - C(n-c, k) / C(n, k)}, computed as the product
     * {@code prod_{i=n-c+1..n} (1 - k/i)}, which neither overflows nor cancels.
     */
    public static double passAtK(int n, int c, int k) {
        if (k < 1 || k > n || c < 0 || c > n) {
            throw new IllegalArgumentException("need 0 <= c <= n and 1 <= k <= n, got n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }

    /**
     * Whether the most frequent answer is correct. Answers count as one when the grader says they
     * are the same; samples without an answer do not vote; a tie goes to the answer given first.
     */
    public static boolean majorityCorrect(List<String> extracted, List<Boolean> correct, AnswerGrader grader) {
        List<Integer> firsts = new ArrayList<>(); // the first sample of each distinct answer
        List<Integer> votes = new ArrayList<>();
        for (int i = 0; i < extracted.size(); i++) {
            String answer = extracted.get(i);
            if (answer == null) {
                continue;
            }
            int group = -1;
            for (int g = 0; g < firsts.size() && group < 0; g++) {
                if (grader.sameAnswer(answer, extracted.get(firsts.get(g)))) {
                    group = g;
                }
            }
            if (group < 0) {
                firsts.add(i);
                votes.add(1);
            } else {
                votes.set(group, votes.get(group) + 1);
            }
        }
        int winner = -1;
        for (int g = 0; g < votes.size(); g++) {
            if (winner < 0 || votes.get(g) > votes.get(winner)) {
                winner = g;
            }
        }
        return winner >= 0 && correct.get(firsts.get(winner));
    }

    public static int countCorrect(List<Boolean> correct) {
        return (int) correct.stream().filter(Boolean::booleanValue).count();
    }
}
