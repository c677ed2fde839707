package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the final answer is read from a completion (and from a reference answer). */
public enum AnswerExtraction {
    /** The text after the last {@code data.answerMarker}; the whole text when there is none. */
    @JsonProperty("marker")
    MARKER,
    /** The content of the last {@code \boxed{...}}, nested braces included. */
    @JsonProperty("boxed")
    BOXED,
    /** The last match of {@code eval.pattern}: its first group, or the whole match without groups. */
    @JsonProperty("regex")
    REGEX
}
