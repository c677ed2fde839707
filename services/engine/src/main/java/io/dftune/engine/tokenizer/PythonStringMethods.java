package io.dftune.engine.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} methods that chat templates call ({@code content.startswith('x')},
 * {@code content.split('</think>')[-1].lstrip()}, ...). Jinjava only offers Java's String methods, so
 * without this those calls fail. Also indexes strings ({@code text[0]}, {@code text[-1]}). Anything else
 * falls through to the next resolver.
 */
final class PythonStringMethods extends ELResolver {

    private static final Pattern INDEX = Pattern.compile("-?\\d{1,9}");

    static final Set<String> METHODS = Set.of(
            "strip",
            "lstrip",
            "rstrip",
            "startswith",
            "endswith",
            "upper",
            "lower",
            "title",
            "capitalize",
            "split",
            "splitlines",
            "join",
            "replace",
            "find",
            "count");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || method == null || !METHODS.contains(method.toString())) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result = call(s, method.toString(), p);
        context.setPropertyResolved(true);
        return result;
    }

    static Object call(String s, String method, Object[] p) {
        return switch (method) {
            case "strip" -> rstrip(lstrip(s, arg(p, 0)), arg(p, 0));
            case "lstrip" -> lstrip(s, arg(p, 0));
            case "rstrip" -> rstrip(s, arg(p, 0));
            case "startswith" -> anyOf(p, 0, s::startsWith);
            case "endswith" -> anyOf(p, 0, s::endsWith);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" ->
                s.isEmpty()
                        ? s
                        : s.substring(0, 1).toUpperCase(Locale.ROOT)
                                + s.substring(1).toLowerCase(Locale.ROOT);
            case "split" -> split(s, arg(p, 0), p.length > 1 ? ((Number) p[1]).intValue() : -1);
            case "splitlines" -> splitlines(s);
            case "join" -> join(s, p[0]);
            case "replace" -> replace(s, str(p[0]), str(p[1]), p.length > 2 ? ((Number) p[2]).intValue() : -1);
            case "find" -> (long) s.indexOf(str(p[0]));
            case "count" -> count(s, str(p[0]));
            default -> throw new IllegalStateException(method);
        };
    }

    private static String arg(Object[] p, int i) {
        return p.length > i && p[i] != null ? str(p[i]) : null;
    }

    private static String str(Object o) {
        return String.valueOf(o);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strippable(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        int i = s.length();
        while (i > 0 && strippable(s.charAt(i - 1), chars)) {
            i--;
        }
        return s.substring(0, i);
    }

    private static boolean anyOf(Object[] p, int i, Predicate<String> test) {
        if (p[i] instanceof Collection<?> options) {
            return options.stream().anyMatch(o -> test.test(str(o)));
        }
        return test.test(str(p[i]));
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            out.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return out.toString();
    }

    private static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            // Python's split() without a separator: runs of whitespace, no empty strings.
            String rest = lstrip(s, null);
            while (!rest.isEmpty()) {
                int end = 0;
                while (end < rest.length() && !isSpace(rest.charAt(end))) {
                    end++;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(rstrip(rest, null));
                    break;
                }
                out.add(rest.substring(0, end));
                rest = lstrip(rest.substring(end), null);
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
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

    private static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
        // Python drops the empty string after a final line break ("a\n".splitlines() == ["a"]).
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) {
            it.forEach(o -> parts.add(str(o)));
        } else if (items instanceof Object[] arr) {
            for (Object o : arr) {
                parts.add(str(o));
            }
        } else {
            throw new IllegalArgumentException("join needs a list, got " + items);
        }
        return String.join(sep, parts);
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0 || old.isEmpty()) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        int done = 0;
        while (done < count && (at = s.indexOf(old, from)) >= 0) {
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
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

    /**
     * {@code text[i]}: Jinjava resolves nothing for an index into a string. It hands the index over as
     * text ("0"), so integer-looking properties are taken as indexes.
     */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (!(base instanceof String s)
                || property == null
                || !INDEX.matcher(property.toString()).matches()) {
            return null;
        }
        int n = Integer.parseInt(property.toString());
        int i = n < 0 ? s.length() + n : n;
        if (i < 0 || i >= s.length()) {
            throw new IndexOutOfBoundsException("string index " + n + " out of range for length " + s.length());
        }
        context.setPropertyResolved(true);
        return String.valueOf(s.charAt(i));
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
