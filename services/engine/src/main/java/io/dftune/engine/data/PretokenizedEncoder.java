package io.dftune.engine.data;

/** {@code input_ids}/{@code completion_mask} records, checked against the tokenizer's vocabulary. */
final class PretokenizedEncoder {
    private final int vocabSize;

    PretokenizedEncoder(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    TokenSequence encode(int[] ids, int[] mask) {
        if (ids.length != mask.length) {
            throw new RecordException(
                    "input_ids has " + ids.length + " entries but completion_mask has " + mask.length);
        }
        if (ids.length == 0) {
            throw new RecordException("input_ids is empty");
        }
        TokenSequence seq = new TokenSequence();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new RecordException(
                        "input_ids[" + i + "] = " + ids[i] + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
            }
            if (mask[i] != 0 && mask[i] != 1) {
                throw new RecordException("completion_mask[" + i + "] = " + mask[i] + "; values must be 0 or 1");
            }
            seq.add(ids[i], mask[i] == 1);
        }
        return seq;
    }
}
