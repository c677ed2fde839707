package io.dftune.engine.tokenizer.jinja;

import java.util.HashMap;
import java.util.Map;

/** Variables of one Jinja2 scope (template, for loop, macro call), looked up through the enclosing ones. */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object get(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v != null || s.vars.containsKey(name)) {
                return v;
            }
        }
        return Undefined.VALUE;
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
