package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ModelTokenizer;

/** The BOS rule shared by the text formats. */
final class Bos {
    private Bos() {}

    /**
     * Adds BOS (not trained) when the tokenizer wants one and the rendered text does not already start with
     * the BOS token string (templates such as Llama's write {@code bos_token} themselves; encoding that text
     * yields the BOS id).
     */
    static void addIfNeeded(ModelTokenizer tok, String renderedText, TokenSequence seq) {
        if (tok.addsBos() && !renderedText.startsWith(tok.bosToken().orElseThrow())) {
            seq.add(tok.bosId().getAsInt(), false);
        }
    }
}
