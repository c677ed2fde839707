package io.dftune.trainer.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every generated solution is checked by parsing it: each written step is right and ends in the answer. */
class ArithmeticProblemsTest {
    private static final Pattern EQUATIONS = Pattern.compile("\\d+(?: [+-] \\d+)*(?: = \\d+(?: [+-] \\d+)*)+");
    private static final Pattern SENTENCE =
            Pattern.compile("Start with (\\d+)\\. Adding (\\d+) gives (\\d+)\\. Taking away (\\d+) leaves (\\d+)");
    private static final Pattern ONE_SENTENCE =
            Pattern.compile("(?:Adding (\\d+) to (\\d+) gives|Taking (\\d+) from (\\d+) leaves) (\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    @Test
    void everyStepOfEveryFamilyIsArithmeticallyRightAndEndsInTheAnswer() {
        for (boolean varied : new boolean[] {false, true}) {
            ArithmeticProblems problems = new ArithmeticProblems(7, 1, 20, varied);
            List<Function<ArithmeticProblems, Problem>> families = List.of(
                    ArithmeticProblems::equation,
                    ArithmeticProblems::chain,
                    ArithmeticProblems::wordProblem,
                    ArithmeticProblems::oneStepWordProblem,
                    ArithmeticProblems::lossFirstWordProblem,
                    ArithmeticProblems::threeStepWordProblem,
                    ArithmeticProblems::lossFirstChain,
                    ArithmeticProblems::threeStepChain);
            for (Function<ArithmeticProblems, Problem> family : families) {
                for (int i = 0; i < 300; i++) {
                    Problem p = family.apply(problems);
                    assertThat(p.response()).as(p.toString()).endsWith("#### " + p.answer());
                    assertThat(checkedSteps(p.response())).as(p.toString()).isPositive();
                    assertThat(Integer.parseInt(p.answer())).as(p.toString()).isEqualTo(storyValue(p.prompt()));
                }
            }
        }
    }

    @Test
    void variedSolutionsUseSeveralPhrasingsAndStepOrdersForTheSameProblems() {
        ArithmeticProblems terse = new ArithmeticProblems(3, 1, 20, false);
        ArithmeticProblems varied = new ArithmeticProblems(3, 1, 20, true);
        Set<String> terseShapes = new HashSet<>();
        Set<String> variedShapes = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            Problem t = terse.wordProblem();
            Problem v = varied.wordProblem();
            assertThat(v.prompt()).isEqualTo(t.prompt());
            assertThat(v.answer()).isEqualTo(t.answer());
            terseShapes.add(NUMBER.matcher(t.response()).replaceAll("N"));
            variedShapes.add(NUMBER.matcher(v.response()).replaceAll("N"));
        }
        assertThat(terseShapes).hasSize(1);
        assertThat(variedShapes).hasSizeGreaterThanOrEqualTo(6);
        assertThat(variedShapes).anyMatch(s -> s.startsWith("N - N = N. N + N = N"));
    }

    @Test
    void operandsStayInTheirRange() {
        ArithmeticProblems larger = new ArithmeticProblems(5, 21, 40, true);
        for (int i = 0; i < 200; i++) {
            Problem p = larger.wordProblem();
            List<Integer> numbers = numbers(p.prompt());
            assertThat(numbers.subList(0, 2)).allSatisfy(n -> assertThat(n).isBetween(21, 40));
        }
    }

    /** Checks each equation and sentence in a solution; returns how many steps were checked. */
    private static int checkedSteps(String response) {
        int checked = 0;
        Matcher equations = EQUATIONS.matcher(response);
        while (equations.find()) {
            String[] sides = equations.group().split(" = ");
            for (String side : sides) {
                assertThat(evaluate(side)).as(equations.group()).isEqualTo(evaluate(sides[0]));
            }
            checked++;
        }
        Matcher sentence = SENTENCE.matcher(response);
        while (sentence.find()) {
            int[] n = new int[5];
            for (int i = 0; i < 5; i++) {
                n[i] = Integer.parseInt(sentence.group(i + 1));
            }
            assertThat(n[0] + n[1]).as(sentence.group()).isEqualTo(n[2]);
            assertThat(n[2] - n[3]).as(sentence.group()).isEqualTo(n[4]);
            checked++;
        }
        Matcher one = ONE_SENTENCE.matcher(response);
        while (one.find()) {
            int result = Integer.parseInt(one.group(5));
            int expected = one.group(1) != null
                    ? Integer.parseInt(one.group(1)) + Integer.parseInt(one.group(2))
                    : Integer.parseInt(one.group(4)) - Integer.parseInt(one.group(3));
            assertThat(expected).as(one.group()).isEqualTo(result);
            checked++;
        }
        return checked;
    }

    /** The value a prompt asks for, read from the prompt alone: its numbers and its verbs. */
    private static int storyValue(String prompt) {
        List<Integer> numbers = numbers(prompt);
        if (prompt.startsWith("What is") || prompt.startsWith("Compute")) {
            Matcher m = Pattern.compile("\\d+(?: [+-] \\d+)+").matcher(prompt);
            assertThat(m.find()).isTrue();
            return evaluate(m.group());
        }
        List<Boolean> gains = new ArrayList<>();
        Matcher verb = Pattern.compile("(gets|finds|buys|is given|gives away|loses|sells|eats) \\d+")
                .matcher(prompt);
        while (verb.find()) {
            gains.add(Set.of("gets", "finds", "buys", "is given").contains(verb.group(1)));
        }
        int value = numbers.get(0);
        for (int i = 0; i < gains.size(); i++) {
            value += gains.get(i) ? numbers.get(i + 1) : -numbers.get(i + 1);
        }
        return value;
    }

    /** An expression of whole numbers joined by " + " and " - ". */
    private static int evaluate(String expression) {
        String[] parts = expression.trim().split(" ");
        int value = Integer.parseInt(parts[0]);
        for (int i = 1; i < parts.length; i += 2) {
            int n = Integer.parseInt(parts[i + 1]);
            value = parts[i].equals("+") ? value + n : value - n;
        }
        return value;
    }

    private static List<Integer> numbers(String text) {
        List<Integer> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group()));
        }
        return numbers;
    }
}
