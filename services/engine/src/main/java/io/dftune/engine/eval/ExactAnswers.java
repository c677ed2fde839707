package io.dftune.engine.eval;

/** The same text, trimmed on both sides, a trailing period ignored. */
final class ExactAnswers implements AnswerComparator {
    @Override
    public boolean same(String answer, String reference) {
        return normalise(answer).equals(normalise(reference));
    }

    static String normalise(String text) {
        String trimmed = text.strip();
        return trimmed.endsWith(".")
                ? trimmed.substring(0, trimmed.length() - 1).strip()
                : trimmed;
    }
}
