package io.dftune.engine.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Math answers compared as the public math-evaluation harnesses compare them, without symbolic
 * algebra: both sides are normalised (LaTeX spacing, {@code \left}/{@code \right}, {@code \text{}},
 * dollar, percent and degree signs, a leading {@code x =}, a unit word after a number, thousands
 * separators), then compared as exact numbers when both evaluate to one ({@link RationalExpression}:
 * {@code \frac{1}{2}}, {@code 0.5}, {@code 1/2} and {@code (9+1)/20} are equal), element by element
 * when both are tuples or intervals with the same brackets, and as normalised text otherwise. So
 * {@code x+1} and {@code 1+x} differ, and {@code 0.333} is not {@code 1/3}.
 */
final class MathAnswers implements AnswerComparator {
    private static final Pattern TEXT_COMMAND =
            Pattern.compile("\\\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox|operatorname)\\s*\\{([^{}]*)}");
    private static final Pattern LEADING_VARIABLE = Pattern.compile("^[A-Za-z](?:_\\{?\\w+}?)?\\s*=(?!=)\\s*(.+)$");
    private static final Pattern UNIT_WORDS = Pattern.compile("^(.*?[0-9}.])\\s+[A-Za-z]{2,}(?:\\s+[A-Za-z]{2,})*$");
    private static final Pattern THOUSANDS = Pattern.compile("^[-+]?\\d{1,3}(?:,\\d{3})+(?:\\.\\d*)?$");
    /** {@code \frac12}, {@code \frac1{72}} and {@code \frac{3}4}: single-token arguments get their braces. */
    private static final Pattern BARE_FRAC_ARGUMENTS = Pattern.compile("\\\\frac(\\{[^{}]*}|\\w)(\\{[^{}]*}|\\w)");

    private static final Pattern BARE_SQRT_ARGUMENT = Pattern.compile("\\\\sqrt(\\w)");

    @Override
    public boolean same(String answer, String reference) {
        return equivalent(normalise(answer), normalise(reference));
    }

    private static boolean equivalent(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Optional<BigFraction> x = RationalExpression.evaluate(a);
        Optional<BigFraction> y = RationalExpression.evaluate(b);
        if (x.isPresent() && y.isPresent()) {
            return x.get().compareTo(y.get()) == 0;
        }
        Optional<Tuple> s = Tuple.of(a);
        Optional<Tuple> t = Tuple.of(b);
        if (s.isPresent() && t.isPresent() && s.get().sameShape(t.get())) {
            for (int i = 0; i < s.get().elements().size(); i++) {
                if (!equivalent(s.get().elements().get(i), t.get().elements().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** The answer in one canonical spelling: no spaces, no decoration, LaTeX arguments braced. */
    static String normalise(String answer) {
        String s = answer.strip();
        s = s.replaceAll("^\\\\[(\\[]|\\\\[)\\]]$", "").replace('\u2212', '-');
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac");
        s = s.replace("\\left", "").replace("\\right", "").replace("\\displaystyle", "");
        s = s.replace("\\!", "")
                .replace("\\,", " ")
                .replace("\\;", " ")
                .replace("\\:", " ")
                .replace("\\ ", " ");
        s = s.replace("^{\\circ}", "")
                .replace("^\\circ", "")
                .replace("\\degree", "")
                .replace("°", "");
        s = s.replace("\\$", "").replace("$", "").replace("\\%", "").replace("%", "");
        s = s.replace("{,}", ",");
        Matcher text = TEXT_COMMAND.matcher(s);
        while (text.find()) {
            s = text.replaceAll(m -> Matcher.quoteReplacement(" " + m.group(1) + " "));
            text = TEXT_COMMAND.matcher(s);
        }
        s = s.strip();
        s = s.replaceAll("[.\\s]+$", ""); // a full stop: "42." is 42
        Matcher assignment = LEADING_VARIABLE.matcher(s);
        if (assignment.matches()) {
            s = assignment.group(1);
        }
        Matcher units = UNIT_WORDS.matcher(s);
        if (units.matches()) {
            s = units.group(1);
        }
        s = s.replaceAll("\\s+", "");
        if (THOUSANDS.matcher(s).matches()) {
            s = s.replace(",", "");
        }
        s = BARE_FRAC_ARGUMENTS
                .matcher(s)
                .replaceAll(m -> Matcher.quoteReplacement("\\frac" + braced(m.group(1)) + braced(m.group(2))));
        s = BARE_SQRT_ARGUMENT.matcher(s).replaceAll("\\\\sqrt{$1}");
        return s;
    }

    private static String braced(String argument) {
        return argument.startsWith("{") ? argument : "{" + argument + "}";
    }

    /** A parenthesised or bracketed list (a point, an interval) or a bare comma-separated one. */
    private record Tuple(char open, char close, List<String> elements) {
        static Optional<Tuple> of(String s) {
            char open = 0;
            char close = 0;
            String inner = s;
            if (s.length() >= 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length() - 1)) >= 0) {
                open = s.charAt(0);
                close = s.charAt(s.length() - 1);
                inner = s.substring(1, s.length() - 1);
            }
            List<String> parts = topLevelParts(inner);
            return parts.size() > 1 ? Optional.of(new Tuple(open, close, parts)) : Optional.empty();
        }

        boolean sameShape(Tuple other) {
            return open == other.open && close == other.close && elements.size() == other.elements.size();
        }

        private static List<String> topLevelParts(String s) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            int start = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                    if (depth < 0) {
                        return List.of(s); // brackets that do not nest: not a list
                    }
                } else if (c == ',' && depth == 0) {
                    parts.add(s.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(s.substring(start));
            return parts;
        }
    }
}
