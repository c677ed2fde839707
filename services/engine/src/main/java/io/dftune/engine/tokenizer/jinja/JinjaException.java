package io.dftune.engine.tokenizer.jinja;

/** A template that cannot be parsed or rendered, with the template line where that happened (0 if unknown). */
public class JinjaException extends RuntimeException {
    private final int line;

    JinjaException(String message, int line) {
        super(message);
        this.line = line;
    }

    JinjaException(String message) {
        this(message, 0);
    }

    /**
     * {@code e} as a template error at {@code line}: one that already knows its line (or a raised exception)
     * unchanged, a Java failure inside a filter or function (a wrong argument type) with its message.
     */
    static JinjaException at(RuntimeException e, int line) {
        if (e instanceof Raised || (e instanceof JinjaException j && j.line > 0)) {
            return (JinjaException) e;
        }
        String message =
                e instanceof JinjaException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new JinjaException(message, line);
    }

    public int line() {
        return line;
    }

    /** The template called {@code raise_exception(message)}. */
    public static final class Raised extends JinjaException {
        Raised(String message) {
            super(message, 0);
        }
    }
}
