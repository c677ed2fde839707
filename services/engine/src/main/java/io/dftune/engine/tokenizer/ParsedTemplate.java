package io.dftune.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.tree.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Jinjava template parsed once and rendered many times, from any number of threads, with the
 * output and errors of {@link Jinjava#renderForResult} (which parses the source again on every call
 * and copies every filter, function and tag into a new context for it).
 */
final class ParsedTemplate {
    private final Jinjava jinjava;
    private final Node root;
    private final List<TemplateError> parseErrors;
    /**
     * The context each render's variables sit on: a copy of the global one with every library, as
     * renderForResult builds per call. Renders add bookkeeping (names they resolved) to their parent
     * context, so each thread has its own copy.
     */
    private final ThreadLocal<Context> globals;

    /** The rendering and the errors, in renderForResult's order: a thrown failure's first, then the parser's, then the render's. */
    record Result(String output, List<TemplateError> errors) {}

    ParsedTemplate(Jinjava jinjava, String source) {
        this.jinjava = jinjava;
        this.globals = ThreadLocal.withInitial(jinjava::getGlobalContextCopy);
        JinjavaInterpreter parser = interpreter(Map.of());
        JinjavaInterpreter.pushCurrent(parser);
        try {
            this.root = parser.parse(source);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        this.parseErrors = List.copyOf(parser.getErrorsCopy());
    }

    Result render(Map<String, ?> bindings) {
        JinjavaInterpreter interpreter = interpreter(bindings);
        List<TemplateError> errors = new ArrayList<>();
        String output = null;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            output = interpreter.render(root, true);
        } catch (RuntimeException e) {
            errors.add(errorOf(e));
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        errors.addAll(parseErrors);
        errors.addAll(interpreter.getErrorsCopy());
        return new Result(output, errors);
    }

    private JinjavaInterpreter interpreter(Map<String, ?> bindings) {
        JinjavaConfig config = jinjava.getGlobalConfig();
        Context context = new Context(globals.get(), bindings, config.getDisabled());
        return config.getInterpreterFactory().newInstance(jinjava, context, config);
    }

    /** How renderForResult reports a failure thrown out of rendering. */
    private static TemplateError errorOf(RuntimeException e) {
        if (e instanceof TemplateSyntaxException syntax) {
            return TemplateError.fromException(syntax);
        }
        if (e instanceof InterpretException interpret) {
            return TemplateError.fromSyntaxError(interpret);
        }
        if (e instanceof InvalidArgumentException argument) {
            return TemplateError.fromInvalidArgumentException(argument);
        }
        if (e instanceof InvalidInputException input) {
            return TemplateError.fromInvalidInputException(input);
        }
        return TemplateError.fromException(e);
    }
}
