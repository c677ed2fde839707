package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.util.List;

/**
 * {@code prompt}/{@code response} records: the prompt goes through the chat template as one user message
 * with the generation prompt, after the record's system message if it has one (raw text when the model has no
 * template: the system text, a newline and the prompt) and is not trained; the response and the EOS after it are.
 */
public final class PromptResponseEncoder {
    private final ModelTokenizer tok;

    PromptResponseEncoder(ModelTokenizer tok) {
        this.tok = tok;
    }

    /** The token ids a model is prompted with for {@code prompt}, exactly as in training data. */
    public static int[] promptIds(ModelTokenizer tok, String prompt) {
        TokenSequence seq = new PromptResponseEncoder(tok).promptSequence(null, prompt);
        return seq.toExample(seq.size(), prompt, null).inputIds();
    }

    /** @param system the system prompt, or null */
    TokenSequence encode(String system, String prompt, String response) {
        TokenSequence seq = promptSequence(system, prompt);
        int promptEnd = seq.size();
        seq.addText(tok, response, true);
        // A response whose text already ends with the EOS token string should not get a second EOS.
        if (seq.size() == promptEnd || seq.lastId() != tok.eosId()) {
            seq.add(tok.eosId(), true);
        }
        return seq;
    }

    private TokenSequence promptSequence(String system, String prompt) {
        boolean hasSystem = system != null && !system.isEmpty();
        String promptText;
        if (tok.hasChatTemplate()) {
            List<ChatMessage> messages = hasSystem
                    ? List.of(ChatMessage.system(system), ChatMessage.user(prompt))
                    : List.of(ChatMessage.user(prompt));
            promptText = tok.applyChatTemplate(messages, true);
        } else {
            promptText = hasSystem ? system + "\n" + prompt : prompt;
        }
        TokenSequence seq = new TokenSequence();
        Bos.addIfNeeded(tok, promptText, seq);
        seq.addText(tok, promptText, false);
        return seq;
    }
}
