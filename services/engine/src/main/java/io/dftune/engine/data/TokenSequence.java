package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ModelTokenizer;
import java.util.Arrays;

/** Growing ids + completion mask, built piece by piece from text and single tokens. */
final class TokenSequence {
    private int[] ids = new int[64];
    private int[] mask = new int[64];
    private int size;

    void add(int id, boolean trained) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            mask = Arrays.copyOf(mask, size * 2);
        }
        ids[size] = id;
        mask[size] = trained ? 1 : 0;
        size++;
    }

    void add(int[] newIds, boolean trained) {
        for (int id : newIds) {
            add(id, trained);
        }
    }

    /** Encodes {@code text} (no special tokens added) and appends it; empty text adds nothing. */
    void addText(ModelTokenizer tok, String text, boolean trained) {
        if (!text.isEmpty()) {
            add(tok.encode(text), trained);
        }
    }

    /** The ids so far (a copy). */
    int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    /** The trained flags so far, 0/1 (a copy). */
    int[] mask() {
        return Arrays.copyOf(mask, size);
    }

    int size() {
        return size;
    }

    int lastId() {
        return ids[size - 1];
    }

    boolean truncatedBy(int maxLength) {
        return size > maxLength;
    }

    /**
     * The example, cut to the first {@code maxLength} tokens. The mask at position 0 is cleared because
     * nothing precedes that token to predict it.
     */
    TrainingExample toExample(int maxLength, String prompt, String answer) {
        int n = Math.min(size, maxLength);
        int[] m = Arrays.copyOf(mask, n);
        if (n > 0) {
            m[0] = 0;
        }
        return new TrainingExample(Arrays.copyOf(ids, n), m, prompt, answer);
    }
}
