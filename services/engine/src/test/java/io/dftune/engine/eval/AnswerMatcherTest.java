package io.dftune.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerMatcherTest {
    private final AnswerMatcher matcher = new AnswerMatcher("####");

    @Test
    void takesTextAfterTheLastMarker() {
        assertThat(matcher.matches("3 + 4 = 7, #### 6 no wait #### 7.", "7")).isTrue();
        assertThat(matcher.matches("#### 17", "7")).isFalse();
    }

    @Test
    void withoutMarkerComparesTheWholeCompletion() {
        assertThat(matcher.matches(" 42 ", "42")).isTrue();
        assertThat(matcher.matches("the answer is 42", "42")).isFalse();
        assertThat(matcher.matches("#### 42", "#### 42")).isTrue();
    }
}
