package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When an extracted answer counts as the reference answer. */
public enum AnswerComparison {
    /** The same text, trimmed, without a trailing period. */
    @JsonProperty("exact")
    EXACT,
    /** The same number or expression: {@code \frac{1}{2}}, {@code 0.5} and {@code 1/2} are equal. */
    @JsonProperty("math")
    MATH
}
