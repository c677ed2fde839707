package io.dftune.engine.tokenizer.jinja;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The Python methods templates call on values: str ({@code strip}, {@code split}, {@code startswith}, ...) and
 * dict ({@code items}, {@code get}, {@code keys}, {@code values}). Mutating methods are absent, as in the
 * immutable sandbox transformers renders with.
 */
final class Methods {
    private Methods() {}

    /** The method {@code name} of {@code obj} bound to it, or null when it has none. */
    static Callable bind(Object obj, String name) {
        if (obj instanceof String s) {
            return stringMethod(s, name);
        }
        if (obj instanceof Map<?, ?> m && !(obj instanceof Namespace)) {
            return dictMethod(m, name);
        }
        return null;
    }

    private static Callable dictMethod(Map<?, ?> m, String name) {
        return switch (name) {
            case "items" ->
                (a, k) -> {
                    List<Object> out = new ArrayList<>(m.size());
                    m.forEach((key, v) -> out.add(new PyTuple(Arrays.asList(key, v))));
                    return out;
                };
            case "keys" -> (a, k) -> new ArrayList<>(m.keySet());
            case "values" -> (a, k) -> new ArrayList<>(m.values());
            case "get" ->
                (a, k) -> {
                    Object key = arg(a, 0, "get");
                    return m.containsKey(key) ? m.get(key) : a.size() > 1 ? a.get(1) : null;
                };
            default -> null;
        };
    }

    private static Callable stringMethod(String s, String name) {
        return switch (name) {
            case "strip" -> (a, k) -> rstrip(lstrip(s, chars(a)), chars(a));
            case "lstrip" -> (a, k) -> lstrip(s, chars(a));
            case "rstrip" -> (a, k) -> rstrip(s, chars(a));
            case "startswith" -> (a, k) -> anyOf(arg(a, 0, name), s::startsWith);
            case "endswith" -> (a, k) -> anyOf(arg(a, 0, name), s::endsWith);
            case "upper" -> (a, k) -> s.toUpperCase(Locale.ROOT);
            case "lower" -> (a, k) -> s.toLowerCase(Locale.ROOT);
            case "title" -> (a, k) -> title(s);
            case "capitalize" -> (a, k) -> capitalize(s);
            case "split" ->
                (a, k) -> split(
                        s, a.isEmpty() ? null : (String) a.get(0), a.size() > 1 ? ((Number) a.get(1)).intValue() : -1);
            case "splitlines" -> (a, k) -> splitlines(s);
            case "join" -> (a, k) -> join(s, arg(a, 0, name));
            case "replace" ->
                (a, k) -> replace(
                        s,
                        str(arg(a, 0, name)),
                        str(arg(a, 1, name)),
                        a.size() > 2 ? ((Number) a.get(2)).intValue() : -1);
            case "find" -> (a, k) -> (long) s.indexOf(str(arg(a, 0, name)));
            case "count" -> (a, k) -> count(s, str(arg(a, 0, name)));
            case "isdigit" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isspace" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Methods::isSpace);
            case "format" -> (a, k) -> format(s, a, k);
            default -> null;
        };
    }

    private static Object arg(List<Object> args, int i, String method) {
        if (args.size() <= i) {
            throw new JinjaException(method + "() takes at least " + (i + 1) + " argument(s)");
        }
        return args.get(i);
    }

    private static String chars(List<Object> args) {
        return args.isEmpty() || args.get(0) == null ? null : str(args.get(0));
    }

    private static String str(Object o) {
        if (!(o instanceof String s)) {
            throw new JinjaException("expected a string argument, got " + Py.typeName(o));
        }
        return s;
    }

    static boolean isSpace(int c) {
        return Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || c == 0x1c
                || c == 0x1d
                || c == 0x1e
                || c == 0x1f;
    }

    private static IntPredicate strippable(String chars) {
        return chars == null ? Methods::isSpace : c -> chars.indexOf(c) >= 0;
    }

    static String lstrip(String s, String chars) {
        IntPredicate p = strippable(chars);
        int i = 0;
        while (i < s.length() && p.test(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        IntPredicate p = strippable(chars);
        int i = s.length();
        while (i > 0 && p.test(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(0, i);
    }

    private static boolean anyOf(Object prefixes, java.util.function.Predicate<String> test) {
        if (prefixes instanceof Collection<?> options) {
            return options.stream().anyMatch(o -> test.test(str(o)));
        }
        return test.test(str(prefixes));
    }

    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            out.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return out.toString();
    }

    static String capitalize(String s) {
        return s.isEmpty()
                ? s
                : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static List<Object> split(String s, String sep, int maxSplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = lstrip(s, null);
            while (!rest.isEmpty()) {
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(rstrip(rest, null));
                    break;
                }
                int end = 0;
                while (end < rest.length() && !isSpace(rest.charAt(end))) {
                    end++;
                }
                out.add(rest.substring(0, end));
                rest = lstrip(rest.substring(end), null);
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new JinjaException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || out.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<Object> splitlines(String s) {
        List<Object> lines = new ArrayList<>(List.of((Object[]) s.split("\r\n|\r|\n", -1)));
        if (((String) lines.get(lines.size() - 1)).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        for (Object o : Py.iterate(items)) {
            parts.add(str(o));
        }
        return String.join(sep, parts);
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        for (int done = 0; done < count && (at = s.indexOf(old, from)) >= 0; done++) {
            out.append(s, from, at).append(replacement);
            from = at + old.length();
        }
        return out.append(s.substring(from)).toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** {@code '{} and {name}'.format(...)}: positional and named fields, without format specs. */
    private static String format(String s, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < s.length() && s.charAt(i + 1) == c) {
                out.append(c);
                i++;
            } else if (c == '{') {
                int end = s.indexOf('}', i);
                if (end < 0) {
                    throw new JinjaException("single '{' encountered in format string");
                }
                String field = s.substring(i + 1, end);
                Object v = field.isEmpty()
                        ? arg(args, auto++, "format")
                        : field.chars().allMatch(Character::isDigit)
                                ? arg(args, Integer.parseInt(field), "format")
                                : kwargs.get(field);
                out.append(Py.str(v));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
