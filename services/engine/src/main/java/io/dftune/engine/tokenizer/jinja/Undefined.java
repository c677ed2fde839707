package io.dftune.engine.tokenizer.jinja;

/** Jinja2's default {@code Undefined}: prints as nothing, is false, iterates as empty; using it further is an error. */
final class Undefined {
    static final Undefined VALUE = new Undefined();

    private Undefined() {}

    @Override
    public String toString() {
        return "";
    }
}
