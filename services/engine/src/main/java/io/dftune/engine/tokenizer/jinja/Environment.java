package io.dftune.engine.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The filters, tests and global functions every render sees (Jinja2's defaults that chat templates use). */
final class Environment {
    static final Environment DEFAULT = new Environment();

    private Environment() {}

    Filters.Filter filter(String name, int line) {
        Filters.Filter f = Filters.ALL.get(name);
        if (f == null) {
            throw new JinjaException("no filter named '" + name + "'", line);
        }
        return f;
    }

    Tests.Test test(String name, int line) {
        Tests.Test t = Tests.ALL.get(name);
        if (t == null) {
            throw new JinjaException("no test named '" + name + "'", line);
        }
        return t;
    }

    /** A global that no variable shadows: range, namespace, dict; anything else is undefined. */
    Object global(String name) {
        return switch (name) {
            case "range" -> (Callable) Environment::range;
            case "namespace" ->
                (Callable) (args, kwargs) -> {
                    Namespace ns = new Namespace();
                    for (Object a : args) {
                        if (a instanceof Map<?, ?> m) {
                            m.forEach((k, v) -> ns.put(String.valueOf(k), v));
                        }
                    }
                    ns.putAll(kwargs);
                    return ns;
                };
            case "dict" -> (Callable) (args, kwargs) -> new java.util.LinkedHashMap<>(kwargs);
            default -> Undefined.VALUE;
        };
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        long start = 0;
        long step = 1;
        long stop;
        if (args.size() == 1) {
            stop = asLong(args.get(0));
        } else if (args.size() >= 2) {
            start = asLong(args.get(0));
            stop = asLong(args.get(1));
            step = args.size() > 2 ? asLong(args.get(2)) : 1;
        } else {
            throw new JinjaException("range expected at least 1 argument, got 0");
        }
        if (step == 0) {
            throw new JinjaException("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
        }
        return out;
    }

    private static long asLong(Object v) {
        Object n = Py.normalize(v);
        if (!(n instanceof Long l)) {
            throw new JinjaException("'" + Py.typeName(n) + "' object cannot be interpreted as an integer");
        }
        return l;
    }
}
