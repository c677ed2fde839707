package io.dftune.engine.eval;

import io.dftune.spec.AnswerComparison;

/** Whether an extracted answer counts as the reference answer, and a key that groups equal answers. */
public interface AnswerComparator {
    boolean same(String answer, String reference);

    static AnswerComparator of(AnswerComparison comparison) {
        return switch (comparison) {
            case EXACT -> new ExactAnswers();
            case MATH -> new MathAnswers();
        };
    }
}
