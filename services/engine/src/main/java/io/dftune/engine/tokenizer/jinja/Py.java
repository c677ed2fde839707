package io.dftune.engine.tokenizer.jinja;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's semantics for the values templates see: None (null), bool, int (Long), float (Double), str, list,
 * tuple, dict (Map), plus {@link Undefined}. Printing, truth, equality, ordering, arithmetic, iteration and
 * indexing follow Python, because the templates were written for Jinja2 running on Python.
 */
final class Py {
    private Py() {}

    /** Python's {@code str(value)}; Undefined prints as nothing. */
    static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v == Undefined.VALUE) {
            return "";
        }
        return repr(v);
    }

    /** Python's {@code repr(value)}: how values print inside lists and dicts. */
    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof String s) {
            return reprString(s);
        }
        if (v instanceof Double d) {
            return reprFloat(d);
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (v instanceof List<?> l) {
            boolean tuple = v instanceof PyTuple;
            StringBuilder out = new StringBuilder(tuple ? "(" : "[");
            for (int i = 0; i < l.size(); i++) {
                out.append(i > 0 ? ", " : "").append(repr(l.get(i)));
            }
            if (tuple && l.size() == 1) {
                out.append(',');
            }
            return out.append(tuple ? ')' : ']').toString();
        }
        if (v == Undefined.VALUE) {
            return "";
        }
        return v.toString();
    }

    private static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    /** Python's float repr: the shortest digits that read back, fixed notation for exponents in [-4, 16). */
    static String reprFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    static boolean truthy(Object v) {
        if (v == null || v == Undefined.VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** JSON numbers come as Integer, Long, Double or BigDecimal; templates compute with Long and Double. */
    static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.longValue();
        }
        if (v instanceof BigDecimal b) {
            return b.doubleValue();
        }
        return v;
    }

    static boolean isNumber(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    private static long asLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    private static double asDouble(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }

    static boolean equal(Object a, Object b) {
        a = normalize(a);
        b = normalize(b);
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b) ? asLong(a) == asLong(b) : asDouble(a) == asDouble(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size() || (a instanceof PyTuple) != (b instanceof PyTuple)) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static int compare(Object a, Object b) {
        a = normalize(a);
        b = normalize(b);
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b)
                    ? Long.compare(asLong(a), asLong(b))
                    : Double.compare(asDouble(a), asDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = compare(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw new JinjaException("'<' not supported between " + typeName(a) + " and " + typeName(b));
    }

    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v == Undefined.VALUE) {
            return "Undefined";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "int";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof PyTuple) {
            return "tuple";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Namespace) {
            return "Namespace";
        }
        if (v instanceof Map) {
            return "dict";
        }
        return v.getClass().getSimpleName();
    }

    static Object add(Object a, Object b) {
        a = normalize(a);
        b = normalize(b);
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b)
                    ? (Object) (asLong(a) + asLong(b))
                    : (Object) (asDouble(a) + asDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return a instanceof PyTuple ? new PyTuple(out) : out;
        }
        throw unsupported("+", a, b);
    }

    static Object arithmetic(String op, Object a, Object b) {
        a = normalize(a);
        b = normalize(b);
        if (op.equals("*")) {
            if (a instanceof String s && isIntegral(b)) {
                return s.repeat((int) Math.max(0, asLong(b)));
            }
            if (a instanceof List<?> l && isIntegral(b)) {
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < asLong(b); i++) {
                    out.addAll(l);
                }
                return out;
            }
        }
        if (op.equals("%") && a instanceof String) {
            throw new JinjaException("printf-style string formatting ('...' % x) is not supported");
        }
        if (!isNumber(a) || !isNumber(b)) {
            throw unsupported(op, a, b);
        }
        boolean ints = isIntegral(a) && isIntegral(b);
        switch (op) {
            case "-":
                return ints ? (Object) (asLong(a) - asLong(b)) : (Object) (asDouble(a) - asDouble(b));
            case "*":
                return ints ? (Object) (asLong(a) * asLong(b)) : (Object) (asDouble(a) * asDouble(b));
            case "/":
                requireNonZero(b);
                return asDouble(a) / asDouble(b);
            case "//":
                requireNonZero(b);
                return ints
                        ? (Object) Math.floorDiv(asLong(a), asLong(b))
                        : (Object) Math.floor(asDouble(a) / asDouble(b));
            case "%":
                requireNonZero(b);
                if (ints) {
                    return Math.floorMod(asLong(a), asLong(b));
                }
                double r = asDouble(a) % asDouble(b);
                return r != 0 && (r < 0) != (asDouble(b) < 0) ? r + asDouble(b) : r;
            case "**":
                if (ints && asLong(b) >= 0) {
                    long result = 1;
                    for (long i = 0; i < asLong(b); i++) {
                        result *= asLong(a);
                    }
                    return result;
                }
                return Math.pow(asDouble(a), asDouble(b));
            default:
                throw new IllegalStateException(op);
        }
    }

    private static void requireNonZero(Object b) {
        if (asDouble(b) == 0) {
            throw new JinjaException("division by zero");
        }
    }

    static Object negate(Object v) {
        v = normalize(v);
        if (isIntegral(v)) {
            return -asLong(v);
        }
        if (v instanceof Double d) {
            return -d;
        }
        throw new JinjaException("bad operand type for unary -: '" + typeName(v) + "'");
    }

    private static JinjaException unsupported(String op, Object a, Object b) {
        return new JinjaException(
                "unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    static boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw new JinjaException("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(item);
        }
        if (container instanceof Collection<?> c) {
            for (Object o : c) {
                if (equal(o, item)) {
                    return true;
                }
            }
            return false;
        }
        throw new JinjaException("argument of type '" + typeName(container) + "' is not iterable");
    }

    /** The items a for loop or filter sees: list items, dict keys, string characters; Undefined is empty. */
    static List<Object> iterate(Object v) {
        if (v == Undefined.VALUE) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> items = (List<Object>) l;
            return items;
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
            return chars;
        }
        throw new JinjaException("'" + typeName(v) + "' object is not iterable");
    }

    static long length(Object v) {
        if (v instanceof String s) {
            return s.codePointCount(0, s.length());
        }
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v == Undefined.VALUE) {
            return 0;
        }
        throw new JinjaException("object of type '" + typeName(v) + "' has no len()");
    }

    /** {@code obj[key]} as Jinja2's getitem: a missing key or an index out of range is Undefined. */
    static Object getItem(Object obj, Object key) {
        key = normalize(key);
        if (obj == Undefined.VALUE) {
            throw new JinjaException("cannot index an undefined value with " + repr(key));
        }
        if (obj instanceof Map<?, ?> m) {
            Object v = m.get(key);
            return v != null || m.containsKey(key) ? normalize(v) : Undefined.VALUE;
        }
        if (key instanceof Long || key instanceof Boolean) {
            long i = key instanceof Boolean b ? (b ? 1 : 0) : (Long) key;
            if (obj instanceof List<?> l) {
                long at = i < 0 ? l.size() + i : i;
                return at >= 0 && at < l.size() ? normalize(l.get((int) at)) : Undefined.VALUE;
            }
            if (obj instanceof String s) {
                List<Object> chars = iterate(s);
                long at = i < 0 ? chars.size() + i : i;
                return at >= 0 && at < chars.size() ? chars.get((int) at) : Undefined.VALUE;
            }
        }
        return Undefined.VALUE;
    }

    /** Python's {@code obj[start:stop:step]} for lists, tuples and strings; null bounds are open. */
    static Object slice(Object obj, Long start, Long stop, Long step) {
        long st = step == null ? 1 : step;
        if (st == 0) {
            throw new JinjaException("slice step cannot be zero");
        }
        List<Object> items = obj instanceof String ? iterate(obj) : null;
        if (items == null) {
            if (!(obj instanceof List<?>)) {
                throw new JinjaException("'" + typeName(obj) + "' object is not subscriptable");
            }
            items = iterate(obj);
        }
        int n = items.size();
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
            hi = stop == null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
            hi = stop == null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
            out.add(items.get((int) i));
        }
        if (obj instanceof String) {
            StringBuilder s = new StringBuilder();
            out.forEach(s::append);
            return s.toString();
        }
        return obj instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
