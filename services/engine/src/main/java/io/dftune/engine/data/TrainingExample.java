package io.dftune.engine.data;

import java.util.Objects;

/**
 * One tokenized training sequence.
 *
 * <p>{@code completionMask[t] == 1} marks token t as a response token whose loss counts; that loss comes
 * from the logits at position t-1, so position 0 is never a target and its mask is always 0.
 *
 * @param inputIds token ids
 * @param completionMask 0/1 per token, same length as {@code inputIds}
 * @param prompt the prompt text from the data, if the format has one (else null)
 * @param answer a reference answer for evaluation (optional, null when absent)
 */
public record TrainingExample(int[] inputIds, int[] completionMask, String prompt, String answer) {

    public TrainingExample {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(completionMask, "completionMask");
        if (inputIds.length != completionMask.length) {
            throw new IllegalArgumentException(
                    "inputIds has " + inputIds.length + " tokens but completionMask " + completionMask.length);
        }
        for (int m : completionMask) {
            if (m != 0 && m != 1) {
                throw new IllegalArgumentException("completionMask values must be 0 or 1, found " + m);
            }
        }
        if (completionMask.length > 0 && completionMask[0] != 0) {
            throw new IllegalArgumentException(
                    "completionMask[0] must be 0: nothing precedes position 0 to predict it");
        }
    }

    public int length() {
        return inputIds.length;
    }

    /** Number of tokens whose loss counts (the mask's sum). */
    public int responseTokenCount() {
        int n = 0;
        for (int m : completionMask) {
            n += m;
        }
        return n;
    }
}
