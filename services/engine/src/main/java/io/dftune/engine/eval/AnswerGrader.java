package io.dftune.engine.eval;

import io.dftune.spec.EvalSpec;
import java.util.Optional;

/** Reads a completion's final answer and checks it against the reference, as {@code spec.eval} says. */
public final class AnswerGrader {
    /** What a completion answered ({@code null}: nothing to read) and whether it is the reference answer. */
    public record Grade(String extracted, boolean correct) {}

    private final AnswerExtractor extractor;
    private final AnswerComparator comparator;

    public AnswerGrader(AnswerExtractor extractor, AnswerComparator comparator) {
        this.extractor = extractor;
        this.comparator = comparator;
    }

    /** The grader of {@code eval}; the marker is {@code data.answerMarker}. */
    public static AnswerGrader of(EvalSpec eval, String answerMarker) {
        return new AnswerGrader(
                new AnswerExtractor(eval.getExtract(), answerMarker, eval.getPattern()),
                AnswerComparator.of(eval.getCompare()));
    }

    public Grade grade(String completion, String reference) {
        Optional<String> answer = extractor.fromCompletion(completion);
        return new Grade(
                answer.orElse(null),
                answer.isPresent() && comparator.same(answer.get(), extractor.fromReference(reference)));
    }

    /** Whether two extracted answers count as the same (for majority votes). */
    public boolean sameAnswer(String a, String b) {
        return comparator.same(a, b);
    }
}
