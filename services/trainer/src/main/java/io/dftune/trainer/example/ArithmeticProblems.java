package io.dftune.trainer.example;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of small arithmetic exercises with worked solutions, for the bundled example.
 * Three families share one solution style ({@code a + b = s. s - c = r. #### r}) so that skill in
 * one carries over to the others:
 * <ul>
 *   <li>{@link #equation}: one operation, e.g. {@code What is 23 + 18?}</li>
 *   <li>{@link #chain}: two operations written as an expression</li>
 *   <li>{@link #wordProblem}: the same two operations told as a short story, in varied wording</li>
 *   <li>{@link #lossFirstWordProblem}: a story that takes away first and adds second, an order the
 *       stories above never use (the example's fine-tuning task)</li>
 * </ul>
 */
public final class ArithmeticProblems {
    private static final List<String> NAMES = List.of(
            "Ana", "Ben", "Caro", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Max", "Nia");
    private static final List<String> THINGS = List.of(
            "apples", "books", "coins", "shells", "stamps", "marbles", "cards", "pens", "eggs", "plums");
    private static final List<String> GAIN = List.of(
            "gets %d more", "finds %d more", "buys %d more", "is given %d more");
    private static final List<String> LOSS = List.of(
            "gives away %d", "loses %d", "sells %d", "eats %d");
    private static final List<String> QUESTIONS = List.of(
            "How many %s does %s have now?", "How many %s are left with %s?", "What is the number of %s %s has?");

    private final SplittableRandom random;
    private final int maxOperand;

    public ArithmeticProblems(long seed, int maxOperand) {
        this.random = new SplittableRandom(seed);
        this.maxOperand = maxOperand;
    }

    public Problem equation() {
        int a = operand();
        int b = operand();
        if (random.nextBoolean()) {
            int sum = a + b;
            return new Problem("What is " + a + " + " + b + "?", a + " + " + b + " = " + sum + ". #### " + sum,
                    String.valueOf(sum));
        }
        int big = Math.max(a, b);
        int small = Math.min(a, b);
        int difference = big - small;
        return new Problem("What is " + big + " - " + small + "?",
                big + " - " + small + " = " + difference + ". #### " + difference, String.valueOf(difference));
    }

    public Problem chain() {
        int[] abc = gainThenLoss();
        return new Problem("Compute " + abc[0] + " + " + abc[1] + " - " + abc[2] + ".", solution(abc),
                String.valueOf(abc[0] + abc[1] - abc[2]));
    }

    public Problem wordProblem() {
        int[] abc = gainThenLoss();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String story = name + " has " + abc[0] + " " + thing + ". "
                + "Then " + name + " " + String.format(pick(GAIN), abc[1]) + " and "
                + String.format(pick(LOSS), abc[2]) + ". "
                + String.format(pick(QUESTIONS), thing, name);
        return new Problem(story, solution(abc), String.valueOf(abc[0] + abc[1] - abc[2]));
    }

    /** A one-operation story, a shape no family above uses: the example's fine-tuning task. */
    public Problem oneStepWordProblem() {
        int a = operand();
        int b = operand();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        if (random.nextBoolean()) {
            int sum = a + b;
            return new Problem(name + " has " + a + " " + thing + " and " + String.format(pick(GAIN), b) + ". "
                    + String.format(pick(QUESTIONS), thing, name), a + " + " + b + " = " + sum + ". #### " + sum,
                    String.valueOf(sum));
        }
        int big = Math.max(a, b);
        int small = Math.min(a, b);
        return new Problem(name + " has " + big + " " + thing + " and " + String.format(pick(LOSS), small) + ". "
                + String.format(pick(QUESTIONS), thing, name),
                big + " - " + small + " = " + (big - small) + ". #### " + (big - small), String.valueOf(big - small));
    }

    public Problem lossFirstWordProblem() {
        int a = operand() + operand();
        int c = 1 + random.nextInt(a);
        int b = operand();
        String name = pick(NAMES);
        String thing = pick(THINGS);
        String story = name + " has " + a + " " + thing + ". "
                + "First " + name + " " + String.format(pick(LOSS), c) + ", then "
                + String.format(pick(GAIN), b) + ". "
                + String.format(pick(QUESTIONS), thing, name);
        int left = a - c;
        int result = left + b;
        return new Problem(story, a + " - " + c + " = " + left + ". " + left + " + " + b + " = " + result + ". #### "
                + result, String.valueOf(result));
    }

    private static String solution(int[] abc) {
        int sum = abc[0] + abc[1];
        int result = sum - abc[2];
        return abc[0] + " + " + abc[1] + " = " + sum + ". " + sum + " - " + abc[2] + " = " + result + ". #### " + result;
    }

    /** a, b, c with c <= a + b, so the answer is never negative. */
    private int[] gainThenLoss() {
        int a = operand();
        int b = operand();
        int c = 1 + random.nextInt(a + b);
        return new int[] {a, b, c};
    }

    private int operand() {
        return 1 + random.nextInt(maxOperand);
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
