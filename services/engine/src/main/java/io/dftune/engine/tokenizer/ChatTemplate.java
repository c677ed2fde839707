package io.dftune.engine.tokenizer;

import io.dftune.engine.tokenizer.jinja.JinjaException;
import io.dftune.engine.tokenizer.jinja.Template;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face chat template, rendered as transformers' {@code apply_chat_template} renders it: Jinja2 with
 * {@code trim_blocks} and {@code lstrip_blocks} (see {@link Template}); variables {@code messages} (the message
 * objects as given), {@code tools} (only when there are tools), {@code add_generation_prompt} and the
 * special-token strings ({@code bos_token}, {@code eos_token}, ...); functions {@code raise_exception(msg)} and
 * {@code strftime_now(fmt)}.
 */
public final class ChatTemplate {

    private final String source;
    private final Map<String, String> specialTokens;
    private final Template template;
    private final Clock clock;

    /**
     * @param source the Jinja template text
     * @param specialTokens template variables such as {@code bos_token -> "<s>"}
     * @throws ChatTemplateException if the template cannot be parsed
     */
    public ChatTemplate(String source, Map<String, String> specialTokens) {
        this(source, specialTokens, Clock.systemDefaultZone());
    }

    /** @param clock what {@code strftime_now} reads */
    ChatTemplate(String source, Map<String, String> specialTokens, Clock clock) {
        this.source = source;
        this.specialTokens = Map.copyOf(specialTokens);
        this.clock = clock;
        try {
            this.template = Template.parse(source);
        } catch (JinjaException e) {
            throw failure("cannot parse the chat template", e);
        }
    }

    /** {@link #render(Conversation, boolean)} without tools. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(Conversation.of(messages), addGenerationPrompt);
    }

    /**
     * Renders the conversation as transformers' {@code apply_chat_template(messages, tools=...,
     * add_generation_prompt=...)} does. Safe to call from several threads at once.
     *
     * @throws ChatTemplateException on a template error or a {@code raise_exception} call (its message is kept)
     */
    public String render(Conversation conversation, boolean addGenerationPrompt) {
        List<Map<String, Object>> msgs = new ArrayList<>(conversation.messages().size());
        for (ChatMessage m : conversation.messages()) {
            msgs.add(m.fields());
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", msgs);
        if (conversation.tools() != null) {
            vars.put("tools", conversation.tools());
        }
        vars.put("add_generation_prompt", addGenerationPrompt);
        return renderVariables(vars);
    }

    /** Renders with these template variables, the special tokens and the template functions. */
    String renderVariables(Map<String, Object> variables) {
        Map<String, Object> vars = new HashMap<>(specialTokens);
        vars.put("raise_exception", TemplateFunctions.RAISE_EXCEPTION);
        vars.put("strftime_now", TemplateFunctions.strftimeNow(clock));
        vars.putAll(variables);
        try {
            return template.render(vars);
        } catch (JinjaException.Raised e) {
            throw new ChatTemplateException("chat template raised an exception: " + e.getMessage(), e);
        } catch (JinjaException e) {
            throw failure("chat template failed", e);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template failed: " + e, e);
        }
    }

    private static ChatTemplateException failure(String what, JinjaException e) {
        String where = e.line() > 0 ? " (template line " + e.line() + ")" : "";
        return new ChatTemplateException(what + where + ": " + e.getMessage(), e);
    }

    public String source() {
        return source;
    }
}
