package io.dftune.engine.eval;

/**
 * Decides whether a completion states the reference answer. The completion's final answer is the
 * text after the last answer marker (e.g. {@code ####}), or the whole completion when it has no
 * marker; both sides are trimmed and a trailing period is ignored.
 */
public final class AnswerMatcher {
    private final String marker;

    public AnswerMatcher(String marker) {
        this.marker = marker == null ? "" : marker;
    }

    public String finalAnswer(String completion) {
        String text = completion;
        if (!marker.isEmpty()) {
            int at = text.lastIndexOf(marker);
            if (at >= 0) {
                text = text.substring(at + marker.length());
            }
        }
        return normalise(text);
    }

    public boolean matches(String completion, String reference) {
        return finalAnswer(completion).equals(finalAnswer(reference));
    }

    private static String normalise(String text) {
        String trimmed = text.strip();
        return trimmed.endsWith(".")
                ? trimmed.substring(0, trimmed.length() - 1).strip()
                : trimmed;
    }
}
