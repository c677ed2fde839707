package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ChatTemplate;
import io.dftune.engine.tokenizer.ModelTokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code messages} records: only assistant turns are trained, i.e. their content and the tokens the
 * template writes to end the turn ({@code <|im_end|>}, EOS). Each assistant turn i is located by rendering
 * {@code messages[:i]} with the generation prompt and {@code messages[:i+1]} without it: the difference is
 * the assistant's part. Whitespace the template writes after the turn's final special token (ChatML's
 * newline between turns) is not trained: the model stops at that token and never generates it.
 *
 * <p>Without a chat template the conversation is rendered with {@link #PLAIN_TEMPLATE}: one
 * {@code "Role: content"} line per message, an assistant turn ending in EOS, and {@code "Assistant: "} as
 * the generation prompt.
 */
final class MessagesEncoder {

    static final String PLAIN_TEMPLATE = "{% for message in messages %}"
            + "{{ message['role'] | capitalize }}: {{ message['content'] }}"
            + "{% if message['role'] == 'assistant' %}{{ eos_token }}{% endif %}{{ '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}Assistant: {% endif %}";

    private final ModelTokenizer tok;
    private final ChatTemplate plain;
    private final Set<String> specialTokens;

    MessagesEncoder(ModelTokenizer tok) {
        this.tok = tok;
        this.specialTokens = tok.specialTokens();
        Map<String, String> vars = new HashMap<>();
        vars.put("eos_token", tok.eosToken());
        tok.bosToken().ifPresent(b -> vars.put("bos_token", b));
        this.plain = tok.hasChatTemplate() ? null : new ChatTemplate(PLAIN_TEMPLATE, vars);
    }

    TokenSequence encode(List<ChatMessage> messages) {
        TokenSequence seq = new TokenSequence();
        String full = render(messages, false);
        Bos.addIfNeeded(tok, full, seq);
        String done = "";
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).role().equals("assistant")) {
                continue;
            }
            String before = render(messages.subList(0, i), true);
            String after = render(messages.subList(0, i + 1), false);
            requirePrefix(done, before, i);
            requirePrefix(before, after, i);
            seq.addText(tok, before.substring(done.length()), false);
            String turn = after.substring(before.length());
            int trainedEnd = trainedEnd(turn);
            seq.addText(tok, turn.substring(0, trainedEnd), true);
            seq.addText(tok, turn.substring(trainedEnd), false);
            done = after;
        }
        requirePrefix(done, full, messages.size());
        seq.addText(tok, full.substring(done.length()), false);
        return seq;
    }

    private String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return plain != null
                ? plain.render(messages, addGenerationPrompt)
                : tok.applyChatTemplate(messages, addGenerationPrompt);
    }

    private static void requirePrefix(String prefix, String text, int messageIndex) {
        if (!text.startsWith(prefix)) {
            throw new RecordException("the chat template's rendering of messages[0.." + messageIndex
                    + ") is not a prefix of its rendering with more messages (the template rewrites earlier "
                    + "turns), so the assistant turns cannot be located");
        }
    }

    /** Where the trained part of an assistant turn ends: after its final special token if only whitespace follows. */
    private int trainedEnd(String turn) {
        String stripped = turn.stripTrailing();
        for (String special : specialTokens) {
            if (!stripped.isEmpty() && stripped.endsWith(special)) {
                return stripped.length();
            }
        }
        return turn.length();
    }
}
