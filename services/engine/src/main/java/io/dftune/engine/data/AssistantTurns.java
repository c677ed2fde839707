package io.dftune.engine.data;

import io.dftune.engine.tokenizer.ChatMessage;
import io.dftune.engine.tokenizer.ChatTemplateException;
import io.dftune.engine.tokenizer.Conversation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where each assistant turn lies in the rendering of the whole conversation (the text that is trained on).
 *
 * <p>For assistant message i: its start is the end of {@code P = render(messages[:i], add_generation_prompt=True)},
 * which must be a prefix of the whole rendering {@code W} (everything before, up to and including the
 * generation prompt, is what the model is prompted with). Its end is just after the first end-of-turn token
 * in {@code W} after that start, which must come before the next assistant turn's start. A template that writes
 * no end-of-turn token after a turn (DeepSeek-V3's after a single tool call) ends it where its rendering as the
 * last message and its rendering in {@code W} part. The turn is thus taken as it appears in {@code W}, even when
 * the template renders earlier turns differently from the last one (Qwen3 drops the reasoning of turns before
 * the last user message).
 */
final class AssistantTurns {

    /** Renders a conversation with or without the generation prompt. */
    @FunctionalInterface
    interface Renderer {
        String render(Conversation conversation, boolean addGenerationPrompt);
    }

    /** Characters {@code [start, end)} of {@code text} belong to the assistant message {@code message}. */
    record Turn(int message, int start, int end) {}

    record Located(String text, List<Turn> turns) {}

    private AssistantTurns() {}

    /**
     * @param endOfTurn the token strings that end a turn (EOS, and what the template ends other turns with)
     * @throws RecordException if a turn cannot be located, naming the message
     */
    static Located locate(Conversation conversation, Renderer renderer, Set<String> endOfTurn) {
        List<ChatMessage> messages = conversation.messages();
        String whole = renderer.render(conversation, false);
        List<Integer> assistants = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).role().equals("assistant")) {
                continue;
            }
            requireNoEndOfTurnInside(messages.get(i), i, endOfTurn);
            String prompt = render(renderer, conversation.prefix(i), true, i);
            if (!whole.startsWith(prompt)) {
                throw new RecordException("messages[" + i + "] (assistant): the chat template renders the conversation "
                        + "before this turn differently once more messages follow (rendering messages[0.." + i
                        + ") with the generation prompt is not a prefix of the whole conversation), so the turn "
                        + "cannot be located");
            }
            assistants.add(i);
            starts.add(prompt.length());
        }
        List<Turn> turns = new ArrayList<>();
        for (int k = 0; k < assistants.size(); k++) {
            int i = assistants.get(k);
            int start = starts.get(k);
            int limit = k + 1 < starts.size() ? starts.get(k + 1) : whole.length();
            int end = firstEndOfTurn(whole, start, limit, endOfTurn);
            if (end < 0) {
                end = start + sharedLength(render(renderer, conversation.prefix(i + 1), false, i + 1), whole, start);
            }
            if (end <= start) {
                throw new RecordException("messages[" + i + "] (assistant): the chat template writes nothing for this "
                        + "turn in the whole conversation, or its end cannot be found (no end-of-turn token "
                        + endOfTurn + " follows it)");
            }
            turns.add(new Turn(i, start, end));
        }
        return new Located(whole, turns);
    }

    private static String render(Renderer renderer, Conversation c, boolean generationPrompt, int count) {
        try {
            return renderer.render(c, generationPrompt);
        } catch (ChatTemplateException e) {
            throw new RecordException(
                    "rendering messages[0.." + count + ")" + (generationPrompt ? " with the generation prompt" : "")
                            + " to locate the assistant turns: " + e.getMessage(),
                    e);
        }
    }

    /** Content holding an end-of-turn token would end the turn early: such a record is refused. */
    private static void requireNoEndOfTurnInside(ChatMessage m, int index, Set<String> endOfTurn) {
        for (Object field : new Object[] {m.text(), m.fields().get("reasoning_content")}) {
            if (field instanceof String s) {
                for (String token : endOfTurn) {
                    if (s.contains(token)) {
                        throw new RecordException("messages[" + index + "] (assistant) contains the end-of-turn token "
                                + token + " in its text; remove it (the template writes it after the turn)");
                    }
                }
            }
        }
    }

    /** End of the first end-of-turn token in {@code text[from, limit)}, or -1. */
    private static int firstEndOfTurn(String text, int from, int limit, Set<String> endOfTurn) {
        int best = -1;
        for (String token : endOfTurn) {
            int at = text.indexOf(token, from);
            if (at >= 0 && at + token.length() <= limit && (best < 0 || at + token.length() < best)) {
                best = at + token.length();
            }
        }
        return best;
    }

    /** How far {@code asLast} (the turn rendered as the last message) and {@code whole} agree after {@code from}. */
    private static int sharedLength(String asLast, String whole, int from) {
        if (!asLast.regionMatches(0, whole, 0, from)) {
            return 0;
        }
        int n = 0;
        while (from + n < asLast.length()
                && from + n < whole.length()
                && asLast.charAt(from + n) == whole.charAt(from + n)) {
            n++;
        }
        // Whitespace between turns is never generated by the model.
        while (n > 0 && Character.isWhitespace(whole.charAt(from + n - 1))) {
            n--;
        }
        return n;
    }
}
