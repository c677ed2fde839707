package io.dftune.engine.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into text and tag tokens with Jinja2's whitespace rules as transformers configures them:
 * {@code trim_blocks} (the first newline after a block or comment tag is dropped), {@code lstrip_blocks}
 * (spaces and tabs from a line start up to a block or comment tag are dropped; {@code {%+} opts out),
 * {@code -} on any tag strips all whitespace on that side, and one trailing newline of the template is dropped
 * ({@code keep_trailing_newline} is off).
 */
final class Lexer {

    enum Type {
        TEXT,
        VAR_BEGIN,
        VAR_END,
        BLOCK_BEGIN,
        BLOCK_END,
        NAME,
        STRING,
        INT,
        FLOAT,
        OP,
        EOF
    }

    record Token(Type type, String value, int line) {
        boolean is(Type t, String v) {
            return type == t && value.equals(v);
        }

        boolean isOp(String v) {
            return is(Type.OP, v);
        }

        boolean isName(String v) {
            return is(Type.NAME, v);
        }

        /** How an error message names this token. */
        String describe() {
            return switch (type) {
                case VAR_BEGIN -> "'{{'";
                case VAR_END -> "'}}'";
                case BLOCK_BEGIN -> "'{%'";
                case BLOCK_END -> "'%}'";
                case EOF -> "the end of the template";
                case TEXT -> "text";
                case STRING -> "a string";
                default -> "'" + value + "'";
            };
        }
    }

    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%[-+]?\\s*raw\\s*([-+]?)%}");
    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("(\\d+(?:_\\d+)*)(\\.\\d+(?:_\\d+)*)?([eE][+-]?\\d+)?");
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}",
        ",", ".", ":", "|"
    };

    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;

    private Lexer(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static List<Token> tokenize(String source) {
        Lexer l = new Lexer(source);
        l.run();
        return l.tokens;
    }

    private void run() {
        boolean stripNext = false;
        while (pos < src.length()) {
            int tag = nextTag(pos);
            int textEnd = tag < 0 ? src.length() : tag;
            String text = src.substring(pos, textEnd);
            if (stripNext) {
                text = text.stripLeading();
                stripNext = false;
            }
            if (tag >= 0) {
                char kind = src.charAt(tag + 1);
                char sign = tag + 2 < src.length() ? src.charAt(tag + 2) : ' ';
                if (sign == '-') {
                    text = text.stripTrailing();
                } else if (sign != '+' && kind != '{') {
                    text = lstripBlock(text, pos);
                }
            }
            emitText(text, textEnd);
            if (tag < 0) {
                break;
            }
            stripNext = tag(tag);
        }
        tokens.add(new Token(Type.EOF, "", line));
    }

    /** lstrip_blocks: drop spaces and tabs between the start of the line and the tag. */
    private String lstripBlock(String text, int textStart) {
        int lineStart = text.lastIndexOf('\n') + 1;
        boolean atLineStart = lineStart > 0 || textStart == 0 || src.charAt(textStart - 1) == '\n';
        if (!atLineStart || lineStart == text.length()) {
            return text;
        }
        for (int i = lineStart; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text;
            }
        }
        return text.substring(0, lineStart);
    }

    private void emitText(String text, int sourceEnd) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Type.TEXT, text, line));
        }
        countLines(pos, sourceEnd);
        pos = sourceEnd;
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private int nextTag(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Lexes the tag at {@code start}; returns whether it asked to strip the whitespace after it. */
    private boolean tag(int start) {
        char kind = src.charAt(start + 1);
        if (kind == '#') {
            int end = src.indexOf("#}", start + 2);
            if (end < 0) {
                throw new JinjaException("unclosed comment", line);
            }
            boolean strip = src.charAt(end - 1) == '-' && end - 1 > start + 1;
            countLines(start, end + 2);
            pos = end + 2;
            return strip || trimNewline(src.charAt(end - 1) == '+');
        }
        Matcher raw = RAW_BEGIN.matcher(src).region(start, src.length());
        if (kind == '%' && raw.lookingAt()) {
            return rawBlock(raw);
        }
        boolean block = kind == '%';
        tokens.add(new Token(block ? Type.BLOCK_BEGIN : Type.VAR_BEGIN, "", line));
        pos = start + 2;
        if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
            pos++;
        }
        String close = block ? "%}" : "}}";
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                throw new JinjaException("unclosed tag: expected '" + close + "'", line);
            }
            char sign = src.charAt(pos);
            if ((sign == '-' || sign == '+') && src.startsWith(close, pos + 1)) {
                tokens.add(new Token(block ? Type.BLOCK_END : Type.VAR_END, "", line));
                pos += 3;
                return sign == '-' || (block && trimNewline(sign == '+'));
            }
            if (src.startsWith(close, pos)) {
                tokens.add(new Token(block ? Type.BLOCK_END : Type.VAR_END, "", line));
                pos += 2;
                return block && trimNewline(false);
            }
            expressionToken();
        }
    }

    /** trim_blocks: the newline right after a block or comment tag goes, unless the tag ends with {@code +}. */
    private boolean trimNewline(boolean keep) {
        if (!keep && pos < src.length() && src.charAt(pos) == '\n') {
            pos++;
            line++;
        }
        return false;
    }

    private boolean rawBlock(Matcher begin) {
        Matcher end = RAW_END.matcher(src);
        if (!end.find(begin.end())) {
            throw new JinjaException("unclosed raw block: expected {% endraw %}", line);
        }
        String body = src.substring(begin.end(), end.start());
        if (begin.group(1).equals("-")) {
            body = body.stripLeading();
        }
        if (end.group(1).equals("-")) {
            body = body.stripTrailing();
        }
        countLines(begin.start(), begin.end());
        if (!body.isEmpty()) {
            tokens.add(new Token(Type.TEXT, body, line));
        }
        countLines(begin.end(), end.end());
        pos = end.end();
        return end.group(2).equals("-") || trimNewline(end.group(2).equals("+"));
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            if (src.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private void expressionToken() {
        char c = src.charAt(pos);
        if (c == '\'' || c == '"') {
            tokens.add(new Token(Type.STRING, string(c), line));
            return;
        }
        Matcher m = NAME.matcher(src).region(pos, src.length());
        if (m.lookingAt()) {
            tokens.add(new Token(Type.NAME, m.group(), line));
            pos = m.end();
            return;
        }
        m = NUMBER.matcher(src).region(pos, src.length());
        if (Character.isDigit(c) && m.lookingAt()) {
            boolean isFloat = m.group(2) != null || m.group(3) != null;
            tokens.add(new Token(isFloat ? Type.FLOAT : Type.INT, m.group().replace("_", ""), line));
            pos = m.end();
            return;
        }
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                tokens.add(new Token(Type.OP, op, line));
                pos += op.length();
                return;
            }
        }
        throw new JinjaException("unexpected character '" + c + "' in a tag", line);
    }

    /** A string literal with Python's escapes. */
    private String string(char quote) {
        StringBuilder out = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= src.length()) {
                throw new JinjaException("unclosed string literal", line);
            }
            char c = src.charAt(i);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c != '\\' || i + 1 >= src.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = src.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case '\\', '\'', '"' -> out.append(e);
                case '\n' -> line++;
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > src.length()) {
                        throw new JinjaException("truncated \\" + e + " escape in a string literal", line);
                    }
                    out.appendCodePoint(Integer.parseInt(src.substring(i, i + n), 16));
                    i += n;
                }
                default -> out.append('\\').append(e);
            }
        }
        pos = i + 1;
        return out.toString();
    }
}
