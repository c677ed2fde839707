package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dftune.spec.AnswerExtraction;
import org.junit.jupiter.api.Test;

class AnswerExtractorTest {
    private final AnswerExtractor boxed = new AnswerExtractor(AnswerExtraction.BOXED, "####", null);

    @Test
    void markerTakesTheTextAfterTheLastMarkerOrTheWholeText() {
        AnswerExtractor marker = new AnswerExtractor(AnswerExtraction.MARKER, "####", null);
        assertThat(marker.fromCompletion("3 + 4 = 7 #### 6 #### 7\n")).contains("7");
        assertThat(marker.fromCompletion(" 12 ")).contains("12");
        assertThat(marker.fromReference("#### 5")).isEqualTo("5");
    }

    @Test
    void boxedTakesTheLastBoxWithNestedBraces() {
        assertThat(boxed.fromCompletion("first \\boxed{1}, then $\\boxed{\\frac{1}{2}}$."))
                .contains("\\frac{1}{2}");
        assertThat(boxed.fromCompletion("\\boxed{\\left\\{ 1, 2 \\right\\}}")).contains("\\left\\{ 1, 2 \\right\\}");
        assertThat(boxed.fromCompletion("so \\fbox{x^{2}} is it")).contains("x^{2}");
        assertThat(boxed.fromCompletion("answer: \\boxed 5$")).contains("5");
    }

    @Test
    void aMissingOrUnclosedBoxIsNoAnswerButAReferenceWithoutOneIsTakenWhole() {
        assertThat(boxed.fromCompletion("the answer is 5")).isEmpty();
        assertThat(boxed.fromCompletion("\\boxed{\\frac{1}{2}")).isEmpty();
        assertThat(boxed.fromReference("5")).isEqualTo("5");
        assertThat(boxed.fromReference("so $\\boxed{5}$")).isEqualTo("5");
    }

    @Test
    void regexTakesTheLastMatchAndItsFirstGroup() {
        AnswerExtractor grouped = new AnswerExtractor(AnswerExtraction.REGEX, "####", "answer is (-?\\d+)");
        assertThat(grouped.fromCompletion("the answer is 3. No, the answer is -4."))
                .contains("-4");
        assertThat(grouped.fromCompletion("no number")).isEmpty();
        AnswerExtractor whole = new AnswerExtractor(AnswerExtraction.REGEX, "####", "-?\\d+");
        assertThat(whole.fromCompletion("1 then 22")).contains("22");
    }
}
