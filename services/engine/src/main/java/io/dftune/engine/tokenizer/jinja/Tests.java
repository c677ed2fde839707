package io.dftune.engine.tokenizer.jinja;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Jinja2's built-in tests ({@code x is defined}, {@code x is string}, ...). */
final class Tests {

    @FunctionalInterface
    interface Test {
        boolean test(Object value, List<Object> args);
    }

    static final Map<String, Test> ALL = new HashMap<>();

    private Tests() {}

    private static void add(Test t, String... names) {
        for (String n : names) {
            ALL.put(n, t);
        }
    }

    private static Object arg(List<Object> args, String test) {
        if (args.isEmpty()) {
            throw new JinjaException("test '" + test + "' needs an argument");
        }
        return args.get(0);
    }

    static {
        add((v, a) -> v != Undefined.VALUE, "defined");
        add((v, a) -> v == Undefined.VALUE, "undefined");
        add((v, a) -> v == null, "none");
        add((v, a) -> v instanceof Boolean, "boolean");
        add((v, a) -> Boolean.TRUE.equals(v), "true");
        add((v, a) -> Boolean.FALSE.equals(v), "false");
        add((v, a) -> Py.normalize(v) instanceof Long, "integer");
        add((v, a) -> Py.normalize(v) instanceof Double, "float");
        add((v, a) -> Py.isNumber(v), "number");
        add((v, a) -> v instanceof String, "string");
        add((v, a) -> v instanceof Map && !(v instanceof Namespace), "mapping");
        add((v, a) -> v instanceof String || v instanceof Collection || v instanceof Map, "iterable");
        add(
                (v, a) -> v instanceof String
                        || v instanceof Collection
                        || (v instanceof Map && !(v instanceof Namespace)),
                "sequence");
        add((v, a) -> v instanceof Callable, "callable");
        add((v, a) -> ((Long) Py.arithmetic("%", v, 2L)) == 0, "even");
        add((v, a) -> ((Long) Py.arithmetic("%", v, 2L)) == 1, "odd");
        add((v, a) -> Py.truthy(Py.equal(Py.arithmetic("%", v, arg(a, "divisibleby")), 0L)), "divisibleby");
        add((v, a) -> Py.equal(v, arg(a, "eq")), "eq", "equalto", "==");
        add((v, a) -> !Py.equal(v, arg(a, "ne")), "ne", "!=");
        add((v, a) -> Py.compare(v, arg(a, "lt")) < 0, "lt", "lessthan", "<");
        add((v, a) -> Py.compare(v, arg(a, "le")) <= 0, "le", "<=");
        add((v, a) -> Py.compare(v, arg(a, "gt")) > 0, "gt", "greaterthan", ">");
        add((v, a) -> Py.compare(v, arg(a, "ge")) >= 0, "ge", ">=");
        add((v, a) -> Py.contains(arg(a, "in"), v), "in");
        add((v, a) -> sameAs(v, arg(a, "sameas")), "sameas");
        add((v, a) -> v instanceof String s && s.toLowerCase(Locale.ROOT).equals(s), "lower");
        add((v, a) -> v instanceof String s && s.toUpperCase(Locale.ROOT).equals(s), "upper");
    }

    /** Python's {@code is}: None, booleans and small integers are singletons there; other values by reference. */
    private static boolean sameAs(Object a, Object b) {
        a = Py.normalize(a);
        b = Py.normalize(b);
        if (a == null || b == null || a instanceof Boolean || b instanceof Boolean) {
            return a == null ? b == null : a.equals(b);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.equals(y) && x >= -5 && x <= 256;
        }
        return a == b;
    }
}
