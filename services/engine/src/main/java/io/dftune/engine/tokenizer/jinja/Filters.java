package io.dftune.engine.tokenizer.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Jinja2's built-in filters that chat templates use, with transformers' {@code tojson}. */
final class Filters {

    @FunctionalInterface
    interface Filter {
        Object apply(Object value, List<Object> args, Map<String, Object> kwargs, Environment env);
    }

    static final Map<String, Filter> ALL = new HashMap<>();

    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    private Filters() {}

    private static void add(Filter f, String... names) {
        for (String n : names) {
            ALL.put(n, f);
        }
    }

    private static Object arg(List<Object> args, Map<String, Object> kwargs, int i, String name, Object dflt) {
        if (kwargs.containsKey(name)) {
            return kwargs.get(name);
        }
        return args.size() > i ? args.get(i) : dflt;
    }

    private static String text(Object v) {
        return Py.str(v);
    }

    static {
        add(
                (v, a, k, e) -> {
                    Object dflt = arg(a, k, 0, "default_value", "");
                    boolean bool = Py.truthy(arg(a, k, 1, "boolean", false));
                    return v == Undefined.VALUE || (bool && !Py.truthy(v)) ? dflt : v;
                },
                "default",
                "d");
        add((v, a, k, e) -> Py.length(v), "length", "count");
        add(
                (v, a, k, e) -> {
                    List<Object> items = Py.iterate(v);
                    return items.isEmpty() ? Undefined.VALUE : items.get(0);
                },
                "first");
        add(
                (v, a, k, e) -> {
                    List<Object> items = Py.iterate(v);
                    return items.isEmpty() ? Undefined.VALUE : items.get(items.size() - 1);
                },
                "last");
        add(
                (v, a, k, e) -> {
                    String sep = text(arg(a, k, 0, "d", ""));
                    Object attribute = arg(a, k, 1, "attribute", null);
                    List<String> parts = new ArrayList<>();
                    for (Object o : Py.iterate(v)) {
                        parts.add(text(attribute == null ? o : attribute(o, attribute)));
                    }
                    return String.join(sep, parts);
                },
                "join");
        add((v, a, k, e) -> new ArrayList<>(Py.iterate(v)), "list");
        add(
                (v, a, k, e) -> {
                    List<Object> out = new ArrayList<>();
                    if (k.containsKey("attribute")) {
                        Object dflt = k.getOrDefault("default", Undefined.VALUE);
                        for (Object o : Py.iterate(v)) {
                            Object x = attribute(o, k.get("attribute"));
                            out.add(x == Undefined.VALUE ? dflt : x);
                        }
                        return out;
                    }
                    if (a.isEmpty()) {
                        throw new JinjaException("map needs a filter name or attribute=");
                    }
                    Filter f = e.filter(text(a.get(0)), 0);
                    List<Object> rest = a.subList(1, a.size());
                    for (Object o : Py.iterate(v)) {
                        out.add(f.apply(o, rest, k, e));
                    }
                    return out;
                },
                "map");
        add((v, a, k, e) -> select(v, a, e, true, false), "select");
        add((v, a, k, e) -> select(v, a, e, false, false), "reject");
        add((v, a, k, e) -> select(v, a, e, true, true), "selectattr");
        add((v, a, k, e) -> select(v, a, e, false, true), "rejectattr");
        add(
                (v, a, k, e) -> {
                    boolean reverse = Py.truthy(arg(a, k, 0, "reverse", false));
                    boolean caseSensitive = Py.truthy(arg(a, k, 1, "case_sensitive", false));
                    Object attribute = arg(a, k, 2, "attribute", null);
                    List<Object> out = new ArrayList<>(Py.iterate(v));
                    Comparator<Object> order = (x, y) ->
                            Py.compare(sortKey(x, attribute, caseSensitive), sortKey(y, attribute, caseSensitive));
                    out.sort(reverse ? order.reversed() : order);
                    return out;
                },
                "sort");
        add(
                (v, a, k, e) -> {
                    boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
                    Object attribute = arg(a, k, 1, "attribute", null);
                    List<Object> out = new ArrayList<>();
                    List<Object> seen = new ArrayList<>();
                    for (Object o : Py.iterate(v)) {
                        Object key = sortKey(o, attribute, caseSensitive);
                        if (seen.stream().noneMatch(s -> Py.equal(s, key))) {
                            seen.add(key);
                            out.add(o);
                        }
                    }
                    return out;
                },
                "unique");
        add((v, a, k, e) -> Methods.rstrip(Methods.lstrip(text(v), chars(a, k)), chars(a, k)), "trim");
        add((v, a, k, e) -> text(v), "string");
        add((v, a, k, e) -> toInt(v, arg(a, k, 0, "default", 0L)), "int");
        add((v, a, k, e) -> toFloat(v, arg(a, k, 0, "default", 0.0)), "float");
        add((v, a, k, e) -> text(v).toUpperCase(Locale.ROOT), "upper");
        add((v, a, k, e) -> text(v).toLowerCase(Locale.ROOT), "lower");
        add((v, a, k, e) -> Methods.capitalize(text(v)), "capitalize");
        add((v, a, k, e) -> Methods.title(text(v)), "title");
        add(
                (v, a, k, e) -> {
                    Object count = arg(a, k, 2, "count", null);
                    Callable replace = Methods.bind(text(v), "replace");
                    List<Object> args = new ArrayList<>(List.of(arg(a, k, 0, "old", ""), arg(a, k, 1, "new", "")));
                    if (count != null) {
                        args.add(count);
                    }
                    return replace.call(args, Map.of());
                },
                "replace");
        add(
                (v, a, k, e) -> {
                    if (v instanceof String s) {
                        return new StringBuilder(s).reverse().toString();
                    }
                    List<Object> out = new ArrayList<>(Py.iterate(v));
                    Collections.reverse(out);
                    return out;
                },
                "reverse");
        add(
                (v, a, k, e) -> {
                    int precision = ((Number) Py.normalize(arg(a, k, 0, "precision", 0L))).intValue();
                    String method = text(arg(a, k, 1, "method", "common"));
                    RoundingMode mode =
                            switch (method) {
                                case "ceil" -> RoundingMode.CEILING;
                                case "floor" -> RoundingMode.FLOOR;
                                default -> RoundingMode.HALF_UP;
                            };
                    return new BigDecimal(Double.toString(((Number) Py.normalize(v)).doubleValue()))
                            .setScale(precision, mode)
                            .doubleValue();
                },
                "round");
        add(
                (v, a, k, e) -> {
                    Object n = Py.normalize(v);
                    return n instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs((Long) n);
                },
                "abs");
        add(
                (v, a, k, e) -> {
                    Object attribute = arg(a, k, 0, "attribute", null);
                    Object total = arg(a, k, 1, "start", 0L);
                    for (Object o : Py.iterate(v)) {
                        total = Py.add(total, attribute == null ? o : attribute(o, attribute));
                    }
                    return total;
                },
                "sum");
        add((v, a, k, e) -> extreme(v, a, k, 1), "max");
        add((v, a, k, e) -> extreme(v, a, k, -1), "min");
        add((v, a, k, e) -> items(v), "items");
        add(
                (v, a, k, e) -> {
                    boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
                    int by = "value".equals(arg(a, k, 1, "by", "key")) ? 1 : 0;
                    boolean reverse = Py.truthy(arg(a, k, 2, "reverse", false));
                    List<Object> out = items(v);
                    Comparator<Object> order = (x, y) -> Py.compare(
                            sortKey(((List<?>) x).get(by), null, caseSensitive),
                            sortKey(((List<?>) y).get(by), null, caseSensitive));
                    out.sort(reverse ? order.reversed() : order);
                    return out;
                },
                "dictsort");
        add(
                (v, a, k, e) -> indent(
                        text(v),
                        arg(a, k, 0, "width", 4L),
                        Py.truthy(arg(a, k, 1, "first", false)),
                        Py.truthy(arg(a, k, 2, "blank", false))),
                "indent");
        add((v, a, k, e) -> WORD.matcher(text(v)).results().count(), "wordcount");
        add((v, a, k, e) -> v, "safe");
        add(
                (v, a, k, e) -> text(v).replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&#34;")
                        .replace("'", "&#39;"),
                "escape",
                "e");
        add((v, a, k, e) -> attribute(v, arg(a, k, 0, "name", null)), "attr");
        add(
                (v, a, k, e) -> {
                    Map<String, Object> options = new LinkedHashMap<>(k);
                    if (!a.isEmpty()) {
                        options.putIfAbsent("indent", a.get(0));
                    }
                    return PythonJson.dumps(v, options);
                },
                "tojson");
    }

    private static String chars(List<Object> a, Map<String, Object> k) {
        Object c = arg(a, k, 0, "chars", null);
        return c == null ? null : text(c);
    }

    /** {@code attribute='a.b'} as Jinja2 resolves it: dotted path, integer parts index lists. */
    static Object attribute(Object o, Object path) {
        Object cur = o;
        for (String part : text(path).split("\\.")) {
            Object key =
                    part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            cur = cur == Undefined.VALUE ? cur : Py.getItem(cur, key);
        }
        return cur;
    }

    private static Object sortKey(Object o, Object attribute, boolean caseSensitive) {
        Object k = attribute == null ? o : attribute(o, attribute);
        return !caseSensitive && k instanceof String s ? s.toLowerCase(Locale.ROOT) : k;
    }

    private static List<Object> select(Object v, List<Object> a, Environment e, boolean keep, boolean byAttribute) {
        List<Object> out = new ArrayList<>();
        int testAt = byAttribute ? 1 : 0;
        Tests.Test test = a.size() > testAt ? e.test(text(a.get(testAt)), 0) : null;
        List<Object> testArgs = a.size() > testAt + 1 ? a.subList(testAt + 1, a.size()) : List.of();
        for (Object o : Py.iterate(v)) {
            Object x = byAttribute ? attribute(o, a.get(0)) : o;
            boolean pass = test == null ? Py.truthy(x) : test.test(x, testArgs);
            if (pass == keep) {
                out.add(o);
            }
        }
        return out;
    }

    private static Object toInt(Object v, Object dflt) {
        v = Py.normalize(v);
        if (v instanceof Long || v instanceof Boolean) {
            return v instanceof Boolean b ? (b ? 1L : 0L) : v;
        }
        if (v instanceof Double d) {
            return (long) d.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip().replace("_", ""));
            } catch (NumberFormatException notInt) {
                try {
                    return (long) Double.parseDouble(s.strip());
                } catch (NumberFormatException notFloat) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    private static Object toFloat(Object v, Object dflt) {
        v = Py.normalize(v);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    private static Object extreme(Object v, List<Object> a, Map<String, Object> k, int sign) {
        boolean caseSensitive = Py.truthy(arg(a, k, 0, "case_sensitive", false));
        Object attribute = arg(a, k, 1, "attribute", null);
        Object best = Undefined.VALUE;
        for (Object o : Py.iterate(v)) {
            if (best == Undefined.VALUE
                    || Py.compare(sortKey(o, attribute, caseSensitive), sortKey(best, attribute, caseSensitive)) * sign
                            > 0) {
                best = o;
            }
        }
        return best;
    }

    private static List<Object> items(Object v) {
        List<Object> out = new ArrayList<>();
        if (v == Undefined.VALUE) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new JinjaException("Can only get item pairs from a mapping, not " + Py.typeName(v));
        }
        m.forEach((key, value) -> out.add(new PyTuple(java.util.Arrays.asList(key, value))));
        return out;
    }

    private static String indent(String s, Object width, boolean first, boolean blank) {
        String pad = width instanceof String w ? w : " ".repeat(((Number) Py.normalize(width)).intValue());
        String[] lines = s.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            boolean indentThis = (i > 0 || first) && (blank || !lines[i].isBlank());
            out.append(indentThis ? pad : "").append(lines[i]);
        }
        return out.toString();
    }
}
