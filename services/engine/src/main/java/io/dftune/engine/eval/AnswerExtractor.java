package io.dftune.engine.eval;

import io.dftune.spec.AnswerExtraction;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the final answer from a completion: after the last marker (the whole text without one),
 * inside the last {@code \boxed{...}} or {@code \fbox{...}} (nested braces kept), or the last match
 * of a regular expression (its first group when it has one). A reference answer is read the same
 * way and taken whole when there is nothing to read, so both {@code "18"} and {@code "... #### 18"}
 * serve as references.
 */
public final class AnswerExtractor {
    private static final String[] BOX_COMMANDS = {"\\boxed", "\\fbox"};

    private final AnswerExtraction kind;
    private final String marker;
    private final Pattern pattern;

    public AnswerExtractor(AnswerExtraction kind, String marker, String pattern) {
        this.kind = kind;
        this.marker = marker == null ? "" : marker;
        this.pattern = kind == AnswerExtraction.REGEX ? Pattern.compile(pattern) : null;
    }

    /** The completion's final answer, trimmed; empty when a box or match is missing. */
    public Optional<String> fromCompletion(String completion) {
        return switch (kind) {
            case MARKER -> Optional.of(afterMarker(completion).strip());
            case BOXED -> lastBox(completion).map(String::strip);
            case REGEX -> lastMatch(completion).map(String::strip);
        };
    }

    /** The reference's final answer: extracted where the reference has one, otherwise the whole text. */
    public String fromReference(String reference) {
        return fromCompletion(reference).orElse(reference.strip());
    }

    private String afterMarker(String text) {
        int at = marker.isEmpty() ? -1 : text.lastIndexOf(marker);
        return at < 0 ? text : text.substring(at + marker.length());
    }

    private Optional<String> lastMatch(String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group();
        }
        return Optional.ofNullable(last);
    }

    /** The content of the last box command whose braces close; {@code \boxed 5} (no braces) reads one token. */
    static Optional<String> lastBox(String text) {
        int start = -1;
        String command = null;
        for (String c : BOX_COMMANDS) {
            int at = text.lastIndexOf(c);
            if (at > start) {
                start = at;
                command = c;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        int i = start + command.length();
        if (i < text.length() && text.charAt(i) == ' ') {
            int end = i + 1;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                end++;
            }
            return end > i + 1 ? Optional.of(text.substring(i + 1, end)) : Optional.empty();
        }
        if (i >= text.length() || text.charAt(i) != '{') {
            return Optional.empty();
        }
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            char ch = text.charAt(j);
            if (ch == '\\' && j + 1 < text.length()) {
                j++; // an escaped brace \{ or \} does not open or close the box
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return Optional.of(text.substring(i + 1, j));
            }
        }
        return Optional.empty();
    }
}
