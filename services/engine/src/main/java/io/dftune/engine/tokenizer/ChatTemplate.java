package io.dftune.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template rendered with Jinjava, with the environment transformers uses:
 * {@code trim_blocks} and {@code lstrip_blocks} on; variables {@code messages} (maps with role and
 * content), {@code add_generation_prompt} and the special-token strings ({@code bos_token},
 * {@code eos_token}, ...); functions {@code raise_exception(msg)} and {@code strftime_now(fmt)}.
 *
 * <p>Added on top of Jinjava: Jinja2's {@code lstrip_blocks} rule (Jinjava's also strips mid-line),
 * Python string methods ({@link PythonStringMethods#METHODS}) and string indexing, the {@code generation}
 * block, and {@code x[::-1]} (rewritten to {@code x|reverse|list}). Rejected up front because Jinjava
 * would silently render them wrongly: loop filters ({@code for x in xs if cond}). Not supported: other
 * slice steps, backslash-u escapes in string literals, {@code %} string formatting.
 */
public final class ChatTemplate {

    /** Spaces and tabs from a line start up to a block or comment tag ({@code {%+} opts out). */
    private static final Pattern LSTRIP_BLOCKS = Pattern.compile("(?m)^[ \\t]+(?=\\{%(?!\\+)|\\{#)");

    private static final Pattern REVERSE_SLICE = Pattern.compile("\\[\\s*:\\s*:\\s*-1\\s*]");
    private static final Pattern FOR_TAG = Pattern.compile("\\{%[-+]?\\s*for\\s(.*?)[-+]?%}", Pattern.DOTALL);
    private static final Pattern LOOP_FILTER = Pattern.compile("\\sin\\s.*\\sif\\s", Pattern.DOTALL);
    private static final Pattern INLINE_ELSE = Pattern.compile("\\selse\\s");

    private final String source;
    private final Map<String, String> specialTokens;
    private final ParsedTemplate template;

    /**
     * @param source the Jinja template text
     * @param specialTokens template variables such as {@code bos_token -> "<s>"}
     * @throws ChatTemplateException if the template uses a construct that would render wrongly here
     */
    public ChatTemplate(String source, Map<String, String> specialTokens) {
        this.source = prepare(source);
        this.specialTokens = Map.copyOf(specialTokens);
        this.template = new ParsedTemplate(newEngine(), this.source);
    }

    private static String prepare(String source) {
        Matcher m = FOR_TAG.matcher(source);
        while (m.find()) {
            String header = m.group(1);
            if (LOOP_FILTER.matcher(header).find()
                    && !INLINE_ELSE.matcher(header).find()) {
                throw new ChatTemplateException(
                        "chat template uses a loop filter ('" + m.group().strip()
                                + "'), which the Jinja engine here (Jinjava) ignores; rewrite it as an if inside the loop");
            }
        }
        String s = LSTRIP_BLOCKS.matcher(source).replaceAll("").replace("{%+", "{%");
        return REVERSE_SLICE.matcher(s).replaceAll("|reverse|list");
    }

    private static Jinjava newEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                // Jinjava's lstrip_blocks also eats whitespace before a tag in mid-line, which Jinja2 keeps;
                // prepare() applies Jinja2's rule to the source instead.
                .withLstripBlocks(false)
                .withElResolver(resolver)
                .build();
        Jinjava j = new Jinjava(config);
        j.getGlobalContext().registerFunction(function("raise_exception", "raiseException", Object.class));
        j.getGlobalContext().registerFunction(function("strftime_now", "strftimeNow", String.class));
        j.getGlobalContext().registerTag(new GenerationTag());
        return j;
    }

    private static ELFunctionDefinition function(String name, String method, Class<?> param) {
        try {
            Method m = TemplateFunctions.class.getMethod(method, param);
            m.setAccessible(true);
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Renders the conversation. Safe to call from several threads at once.
     *
     * @throws ChatTemplateException on a template error or a {@code raise_exception} call (its message is kept)
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            msgs.add(map);
        }
        Map<String, Object> vars = new HashMap<>(specialTokens);
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", addGenerationPrompt);
        ParsedTemplate.Result result = template.render(vars);
        for (TemplateError e : result.errors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(e);
            }
        }
        return result.output();
    }

    private static ChatTemplateException failure(TemplateError e) {
        for (Throwable c = e.getException(); c != null; c = c.getCause()) {
            if (c instanceof TemplateFunctions.RaisedException raised) {
                return new ChatTemplateException("chat template raised an exception: " + raised.getMessage());
            }
        }
        String where = e.getLineno() > 0 ? " (template line " + e.getLineno() + ")" : "";
        return new ChatTemplateException("chat template failed" + where + ": " + e.getMessage(), e.getException());
    }

    public String source() {
        return source;
    }
}
