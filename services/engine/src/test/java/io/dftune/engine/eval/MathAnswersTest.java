package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.spec.AnswerComparison;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code compare: math} on the pairs of math-answer-pairs.tsv, gathered from public math-evaluation harnesses. */
class MathAnswersTest {
    private static final AnswerComparator MATH = AnswerComparator.of(AnswerComparison.MATH);

    record Pair(String answer, String reference, boolean equal, String source, String note) {
        @Override
        public String toString() {
            return answer + (equal ? " == " : " != ") + reference + " [" + source + (note.isEmpty() ? "" : ": " + note)
                    + "]";
        }
    }

    static Stream<Pair> pairs() throws IOException {
        try (InputStream in = MathAnswersTest.class.getResourceAsStream("/eval/math-answer-pairs.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#") && !line.startsWith("answer\t"))
                    .map(line -> {
                        String[] cells = Arrays.copyOf(line.split("\t", -1), 5);
                        assertThat(cells[2]).as(line).isIn("equal", "different");
                        return new Pair(
                                cells[0],
                                cells[1],
                                cells[2].equals("equal"),
                                cells[3],
                                cells[4] == null ? "" : cells[4]);
                    })
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void comparesLikeTheHarnessRow(Pair pair) {
        assertThat(MATH.same(pair.answer(), pair.reference()))
                .as(pair.toString())
                .isEqualTo(pair.equal());
        assertThat(MATH.same(pair.reference(), pair.answer()))
                .as("symmetric: " + pair)
                .isEqualTo(pair.equal());
    }

    @Test
    void theTableCoversEveryHarnessAndBothOutcomes() throws IOException {
        var rows = pairs().toList();
        assertThat(rows).extracting(Pair::source).contains("MATH", "Qwen", "MathVerify", "Minerva", "issue");
        assertThat(rows.stream().filter(Pair::equal).count()).isGreaterThan(30);
        assertThat(rows.stream().filter(p -> !p.equal()).count()).isGreaterThan(15);
    }

    @Test
    void exactComparisonOnlyTrimsAndDropsAFullStop() {
        AnswerComparator exact = AnswerComparator.of(AnswerComparison.EXACT);
        assertThat(exact.same(" 18. ", "18")).isTrue();
        assertThat(exact.same("18.0", "18")).isFalse();
        assertThat(exact.same("\\frac{1}{2}", "0.5")).isFalse();
    }

    @Test
    void hugeNumbersAndPowersAreNotEvaluated() {
        assertThat(MATH.same("2^{100000}", "2^{100001}")).isFalse();
        assertThat(MATH.same("1" + "0".repeat(500), "1" + "0".repeat(500))).isTrue(); // the same text
        assertThat(RationalExpression.evaluate("1" + "0".repeat(500))).isEmpty();
        assertThat(RationalExpression.evaluate("1/0")).isEmpty();
    }
}
