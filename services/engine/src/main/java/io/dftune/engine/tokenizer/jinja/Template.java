package io.dftune.engine.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/**
 * A Jinja2 template parsed once and rendered many times, from any number of threads, as Python's Jinja2
 * renders it in the environment transformers uses for chat templates ({@code trim_blocks},
 * {@code lstrip_blocks}, loop controls, Python value semantics). The variables are JSON-like Java values
 * (String, Number, Boolean, null, List, Map) and {@link Callable}s; the template never changes them.
 */
public final class Template {
    private final List<Node> body;

    private Template(List<Node> body) {
        this.body = body;
    }

    /** @throws JinjaException if the source is not a template this engine can run (with the line) */
    public static Template parse(String source) {
        return new Template(Parser.parse(source));
    }

    /**
     * @throws JinjaException when rendering fails, with the template line; {@link JinjaException.Raised} when
     *     the template raised an exception through a function that throws it
     */
    public String render(Map<String, ?> variables) {
        Scope globals = new Scope(null);
        variables.forEach(globals::set);
        StringBuilder out = new StringBuilder();
        try {
            Node.renderAll(body, new Scope(globals), Environment.DEFAULT, out);
        } catch (Node.LoopControl control) {
            throw new JinjaException("'break' or 'continue' outside a loop");
        }
        return out.toString();
    }

    /** The exception a template function throws for {@code raise_exception(message)}. */
    public static JinjaException raised(String message) {
        return new JinjaException.Raised(message);
    }
}
