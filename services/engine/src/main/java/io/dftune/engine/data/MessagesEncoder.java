package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ChatTemplate;
import io.dftune.engine.tokenizer.ChatTemplateException;
import io.dftune.engine.tokenizer.Conversation;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.tokenizer.TokenSpans;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code messages} records: the whole conversation is rendered once and tokenized as one text; a token is
 * trained when it lies inside an assistant turn as {@link AssistantTurns} locates it (the turn's text and the
 * end-of-turn token after it; not the generation prompt before it, nor the whitespace after it).
 *
 * <p>The end-of-turn tokens are EOS and the special token the template writes right after a user message's
 * content ({@code <|im_end|>}, {@code <|eot_id|>}, {@code <end_of_turn>}), found by rendering a probe message.
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

    private static final String PROBE = "dftune-probe";

    private final ModelTokenizer tok;
    private final AssistantTurns.Renderer renderer;
    private final Set<String> endOfTurn;

    MessagesEncoder(ModelTokenizer tok) {
        this(tok, tok.hasChatTemplate() ? tok::applyChatTemplate : plainTemplate(tok)::render);
    }

    /** With {@code renderer} in place of the tokenizer's chat template. */
    MessagesEncoder(ModelTokenizer tok, AssistantTurns.Renderer renderer) {
        this.tok = tok;
        this.renderer = renderer;
        this.endOfTurn = endOfTurnTokens();
    }

    private static ChatTemplate plainTemplate(ModelTokenizer tok) {
        Map<String, String> vars = new HashMap<>();
        vars.put("eos_token", tok.eosToken());
        tok.bosToken().ifPresent(b -> vars.put("bos_token", b));
        return new ChatTemplate(PLAIN_TEMPLATE, vars);
    }

    private Set<String> endOfTurnTokens() {
        Set<String> tokens = new HashSet<>();
        tokens.add(tok.eosToken());
        String rendered;
        try {
            rendered = renderer.render(Conversation.of(List.of(ChatMessage.user(PROBE))), false);
        } catch (ChatTemplateException e) {
            return Set.copyOf(tokens);
        }
        int at = rendered.lastIndexOf(PROBE);
        if (at >= 0) {
            int after = at + PROBE.length();
            while (after < rendered.length() && Character.isWhitespace(rendered.charAt(after))) {
                after++;
            }
            for (String special : tok.specialTokens()) {
                if (rendered.startsWith(special, after)) {
                    tokens.add(special);
                }
            }
        }
        return Set.copyOf(tokens);
    }

    TokenSequence encode(Conversation conversation) {
        AssistantTurns.Located located = AssistantTurns.locate(conversation, renderer, endOfTurn);
        String text = located.text();
        TokenSpans tokens = tok.encodeWithSpans(text);
        int[] utf16 = utf16Offsets(text);
        TokenSequence seq = new TokenSequence();
        Bos.addIfNeeded(tok, text, seq);
        List<AssistantTurns.Turn> turns = located.turns();
        int k = 0;
        for (int t = 0; t < tokens.ids().length; t++) {
            int start = utf16[tokens.start()[t]];
            int end = utf16[tokens.end()[t]];
            while (k < turns.size() && turns.get(k).end() <= start) {
                k++;
            }
            boolean trained = k < turns.size()
                    && start >= turns.get(k).start()
                    && end <= turns.get(k).end();
            seq.add(tokens.ids()[t], trained);
        }
        return seq;
    }

    /** The tokenizer's spans count Unicode code points; Java strings index UTF-16 units. */
    private static int[] utf16Offsets(String text) {
        int[] out = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            out[cp++] = i;
        }
        out[cp] = text.length();
        return out;
    }
}
