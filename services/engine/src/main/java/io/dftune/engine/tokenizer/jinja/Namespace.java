package io.dftune.engine.tokenizer.jinja;

import java.util.LinkedHashMap;

/** What {@code namespace(...)} makes: attributes that {@code {% set ns.attr = ... %}} may change from any scope. */
final class Namespace extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
}
