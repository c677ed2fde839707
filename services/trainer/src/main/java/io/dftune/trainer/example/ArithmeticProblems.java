package io.dftune.trainer.example;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of small arithmetic exercises with worked solutions, for the bundled example.
 * The families share one solution language ({@link SolutionWriter}: terse, or varied in phrasing and
 * step order) so that skill in one carries over to the others:
 * <ul>
 *   <li>{@link #equation}: one operation, e.g. {@code What is 23 + 18?}</li>
 *   <li>{@link #chain}: two operations written as an expression</li>
 *   <li>{@link #wordProblem}: the same two operations told as a short story, in varied wording</li>
 *   <li>{@link #lossFirstWordProblem}: a story that takes away first and adds second, an order the
 *       stories above never use (the example's fine-tuning task)</li>
 * </ul>
 */
public final class ArithmeticProblems {
    private static final List<String> NAMES =
            List.of("Ana", "Ben", "Caro", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia");
    private static final List<String> THINGS =
            List.of("apples", "books", "coins", "shells", "stamps", "marbles", "cards", "pens", "eggs", "plums");
    private static final List<String> GAIN =
            List.of("gets %d more", "finds %d more", "buys %d more", "is given %d more");
    private static final List<String> LOSS = List.of("gives away %d", "loses %d", "sells %d", "eats %d");
    private static final List<String> QUESTIONS = List.of(
            "How many %s does %s have now?", "How many %s are left with %s?", "What is the number of %s %s has?");

    private final SplittableRandom random;
    private final int minOperand;
    private final int maxOperand;
    private final SolutionWriter solutions;

    /** Operands drawn uniformly from {@code minOperand..maxOperand}. */
    public ArithmeticProblems(long seed, int minOperand, int maxOperand, boolean variedSolutions) {
        if (minOperand < 1 || maxOperand < minOperand) {
            throw new IllegalArgumentException(
                    "operands must satisfy 1 <= min <= max, got " + minOperand + ".." + maxOperand);
        }
        this.random = new SplittableRandom(seed);
        this.minOperand = minOperand;
        this.maxOperand = maxOperand;
        // Its own stream: the terse and varied sets of one seed hold the same problems.
        this.solutions = new SolutionWriter(new SplittableRandom(~seed), variedSolutions);
    }

    public Problem equation() {
        int a = operand();
        int b = operand();
        if (random.nextBoolean()) {
            return new Problem("What is " + a + " + " + b + "?", solutions.sum(a, b), String.valueOf(a + b));
        }
        int big = Math.max(a, b);
        int small = Math.min(a, b);
        return new Problem(
                "What is " + big + " - " + small + "?", solutions.difference(big, small), String.valueOf(big - small));
    }

    public Problem chain() {
        int[] abc = gainThenLoss();
        return new Problem(
                "Compute " + abc[0] + " + " + abc[1] + " - " + abc[2] + ".",
                solutions.gainThenLoss(abc[0], abc[1], abc[2]),
                String.valueOf(abc[0] + abc[1] - abc[2]));
    }

    /** The take-away-first order as an expression. */
    public Problem lossFirstChain() {
        int[] acb = lossThenGain();
        return new Problem(
                "Compute " + acb[0] + " - " + acb[1] + " + " + acb[2] + ".",
                solutions.lossThenGain(acb[0], acb[1], acb[2]),
                String.valueOf(acb[0] - acb[1] + acb[2]));
    }

    /** Three operations as an expression. */
    public Problem threeStepChain() {
        int[] abc = gainThenLoss();
        int d = operand();
        return new Problem(
                "Compute " + abc[0] + " + " + abc[1] + " - " + abc[2] + " + " + d + ".",
                solutions.gainLossGain(abc[0], abc[1], abc[2], d),
                String.valueOf(abc[0] + abc[1] - abc[2] + d));
    }

    public Problem wordProblem() {
        int[] abc = gainThenLoss();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String story = name + " has " + abc[0] + " " + thing + ". "
                + "Then " + name + " " + String.format(pick(GAIN), abc[1]) + " and "
                + String.format(pick(LOSS), abc[2]) + ". "
                + String.format(pick(QUESTIONS), thing, name);
        return new Problem(
                story, solutions.gainThenLoss(abc[0], abc[1], abc[2]), String.valueOf(abc[0] + abc[1] - abc[2]));
    }

    /** A one-operation story, a shape no family above uses. */
    public Problem oneStepWordProblem() {
        int a = operand();
        int b = operand();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String question = String.format(pick(QUESTIONS), thing, name);
        if (random.nextBoolean()) {
            return new Problem(
                    name + " has " + a + " " + thing + " and " + String.format(pick(GAIN), b) + ". " + question,
                    solutions.sum(a, b),
                    String.valueOf(a + b));
        }
        int big = Math.max(a, b);
        int small = Math.min(a, b);
        return new Problem(
                name + " has " + big + " " + thing + " and " + String.format(pick(LOSS), small) + ". " + question,
                solutions.difference(big, small),
                String.valueOf(big - small));
    }

    public Problem lossFirstWordProblem() {
        int[] acb = lossThenGain();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String story = name + " has " + acb[0] + " " + thing + ". "
                + "First " + name + " " + String.format(pick(LOSS), acb[1]) + ", then "
                + String.format(pick(GAIN), acb[2]) + ". "
                + String.format(pick(QUESTIONS), thing, name);
        return new Problem(
                story, solutions.lossThenGain(acb[0], acb[1], acb[2]), String.valueOf(acb[0] - acb[1] + acb[2]));
    }

    /** Three operations (add, take away, add): a longer chain than any family above. */
    public Problem threeStepWordProblem() {
        int[] abc = gainThenLoss();
        int d = operand();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String story = name + " has " + abc[0] + " " + thing + ". "
                + "Then " + name + " " + String.format(pick(GAIN), abc[1]) + ", "
                + String.format(pick(LOSS), abc[2]) + " and " + String.format(pick(GAIN), d) + ". "
                + String.format(pick(QUESTIONS), thing, name);
        return new Problem(
                story, solutions.gainLossGain(abc[0], abc[1], abc[2], d), String.valueOf(abc[0] + abc[1] - abc[2] + d));
    }

    /** a, b, c with c <= a + b, so the answer is never negative. */
    private int[] gainThenLoss() {
        int a = operand();
        int b = operand();
        int c = 1 + random.nextInt(a + b);
        return new int[] {a, b, c};
    }

    /** a, c, b for a - c + b with c <= a, so no step goes below zero. */
    private int[] lossThenGain() {
        int a = operand() + operand();
        int c = 1 + random.nextInt(a);
        int b = operand();
        return new int[] {a, c, b};
    }

    private int operand() {
        return minOperand + random.nextInt(maxOperand - minOperand + 1);
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
