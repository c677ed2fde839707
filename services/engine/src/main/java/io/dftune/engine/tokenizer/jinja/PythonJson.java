package io.dftune.engine.tokenizer.jinja;

import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter as transformers defines it: Python's {@code json.dumps(value, ensure_ascii=False,
 * indent=indent, separators=separators, sort_keys=sort_keys)}. Without indent the separators are
 * {@code ", "} and {@code ": "}; with indent, {@code ","} and {@code ": "} and one item per line.
 */
final class PythonJson {
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;

    private PythonJson(
            String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    static String dumps(Object value, Map<String, Object> kwargs) {
        Object in = Py.normalize(kwargs.get("indent"));
        String indent = in == null ? null : in instanceof String s ? s : " ".repeat(((Number) in).intValue());
        String item = indent == null ? ", " : ",";
        String key = ": ";
        if (kwargs.get("separators") instanceof List<?> seps && seps.size() == 2) {
            item = (String) seps.get(0);
            key = (String) seps.get(1);
        }
        boolean sort = Py.truthy(kwargs.get("sort_keys"));
        boolean ascii = Py.truthy(kwargs.get("ensure_ascii"));
        StringBuilder out = new StringBuilder();
        new PythonJson(indent, item, key, sort, ascii).write(Py.normalize(value), 0, out);
        return out.toString();
    }

    private void write(Object v, int depth, StringBuilder out) {
        v = Py.normalize(v);
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Double d) {
            out.append(d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : Py.reprFloat(d));
        } else if (v instanceof Number n) {
            out.append(n);
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            var entries = new java.util.ArrayList<Map.Entry<?, ?>>(m.entrySet());
            if (sortKeys) {
                entries.sort((x, y) -> Py.compare(x.getKey(), y.getKey()));
            }
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                separate(i, depth + 1, out);
                string(key(entries.get(i).getKey()), out);
                out.append(keySeparator);
                write(entries.get(i).getValue(), depth + 1, out);
            }
            close(depth, out);
            out.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                separate(i, depth + 1, out);
                write(l.get(i), depth + 1, out);
            }
            close(depth, out);
            out.append(']');
        } else {
            throw new JinjaException("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }

    private static String key(Object k) {
        k = Py.normalize(k);
        if (k instanceof String s) {
            return s;
        }
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof Double d) {
            return Py.reprFloat(d);
        }
        if (k instanceof Long) {
            return k.toString();
        }
        throw new JinjaException("keys must be str, int, float, bool or None, not " + Py.typeName(k));
    }

    private void separate(int i, int depth, StringBuilder out) {
        if (i > 0) {
            out.append(itemSeparator);
        }
        if (indent != null) {
            out.append('\n').append(indent.repeat(depth));
        }
    }

    private void close(int depth, StringBuilder out) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(depth));
        }
    }

    private void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
