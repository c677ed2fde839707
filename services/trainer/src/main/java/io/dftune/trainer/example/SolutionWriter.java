package io.dftune.trainer.example;

import java.util.SplittableRandom;

/**
 * Writes worked solutions. Terse mode always uses one style ({@code a + b = s. s - c = r. #### r});
 * varied mode samples a phrasing, and for two-step problems also a step order, per example, so
 * that many solution tokens have several valid continuations while the arithmetic and the final
 * {@code #### answer} stay checkable.
 */
final class SolutionWriter {
    private final SplittableRandom random;
    private final boolean varied;

    SolutionWriter(SplittableRandom random, boolean varied) {
        this.random = random;
        this.varied = varied;
    }

    /** a + b. */
    String sum(int a, int b) {
        int s = a + b;
        return oneStep(a + " + " + b + " = " + s, s, "Adding " + b + " to " + a + " gives " + s);
    }

    /** big - small. */
    String difference(int big, int small) {
        int d = big - small;
        return oneStep(big + " - " + small + " = " + d, d, "Taking " + small + " from " + big + " leaves " + d);
    }

    /** a + b - c with c <= a + b. */
    String gainThenLoss(int a, int b, int c) {
        int s = a + b;
        int r = s - c;
        String add = a + " + " + b + " = " + s;
        String subtract = s + " - " + c + " = " + r;
        if (!varied) {
            return add + ". " + subtract + ". #### " + r;
        }
        if (c <= a && random.nextInt(4) == 0) {
            int d = a - c;
            return twoSteps(a + " - " + c + " = " + d, d + " + " + b + " = " + r, r);
        }
        // Half of these take the two-step form, a quarter each the one-line and the sentence form.
        return switch (random.nextInt(4)) {
            case 1 -> a + " + " + b + " - " + c + " = " + s + " - " + c + " = " + r + ". #### " + r;
            case 2 ->
                "Start with " + a + ". Adding " + b + " gives " + s + ". Taking away " + c + " leaves " + r + ". #### "
                        + r;
            default -> twoSteps(add, subtract, r);
        };
    }

    /** a - c + b with c <= a: takes away first, then adds. */
    String lossThenGain(int a, int c, int b) {
        int d = a - c;
        int r = d + b;
        String subtract = a + " - " + c + " = " + d;
        String add = d + " + " + b + " = " + r;
        if (!varied) {
            return subtract + ". " + add + ". #### " + r;
        }
        return twoSteps(subtract, add, r);
    }

    /** a + b - c + d with c <= a + b. */
    String gainLossGain(int a, int b, int c, int d) {
        int s = a + b;
        int t = s - c;
        int r = t + d;
        String steps = a + " + " + b + " = " + s + ". " + s + " - " + c + " = " + t + ". " + t + " + " + d + " = " + r;
        if (!varied) {
            return steps + ". #### " + r;
        }
        return switch (random.nextInt(3)) {
            case 0 -> steps + ". #### " + r;
            case 1 -> "First, " + steps + ". #### " + r;
            default -> steps + ". The answer is " + r + ". #### " + r;
        };
    }

    private String twoSteps(String first, String second, int result) {
        return switch (random.nextInt(3)) {
            case 0 -> first + ". " + second + ". #### " + result;
            case 1 -> "First, " + first + ". Then " + second + ". #### " + result;
            default -> first + ", and " + second + ". The answer is " + result + ". #### " + result;
        };
    }

    private String oneStep(String equation, int result, String sentence) {
        if (!varied) {
            return equation + ". #### " + result;
        }
        return switch (random.nextInt(3)) {
            case 0 -> equation + ". #### " + result;
            case 1 -> sentence + ". #### " + result;
            default -> equation + ", so the answer is " + result + ". #### " + result;
        };
    }
}
