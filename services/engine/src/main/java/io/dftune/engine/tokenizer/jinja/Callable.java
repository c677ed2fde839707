package io.dftune.engine.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global function (passed in as a variable), a bound method or a macro. */
@FunctionalInterface
public interface Callable {
    Object call(List<Object> args, Map<String, Object> kwargs);
}
