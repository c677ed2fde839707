package io.dftune.engine.tokenizer;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The global functions Hugging Face passes to chat templates. Public static so Jinjava can call them. */
final class TemplateFunctions {

    /** Thrown by {@code raise_exception}; Jinjava wraps it, {@link ChatTemplate} finds it in the cause chain. */
    static final class RaisedException extends RuntimeException {
        RaisedException(String message) {
            super(message);
        }
    }

    private TemplateFunctions() {}

    public static String raiseException(Object message) {
        throw new RaisedException(String.valueOf(message));
    }

    /** Python {@code datetime.now().strftime(format)} for the directives chat templates use. */
    public static String strftimeNow(String format) {
        return strftime(LocalDateTime.now(), format);
    }

    static String strftime(LocalDateTime time, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            boolean noPad = d == '-' && i + 1 < format.length();
            if (noPad) {
                d = format.charAt(++i);
            }
            out.append(directive(time, d, noPad));
        }
        return out.toString();
    }

    private static String directive(LocalDateTime t, char d, boolean noPad) {
        String pattern =
                switch (d) {
                    case 'd' -> noPad ? "d" : "dd";
                    case 'm' -> noPad ? "M" : "MM";
                    case 'H' -> noPad ? "H" : "HH";
                    case 'I' -> noPad ? "h" : "hh";
                    case 'M' -> noPad ? "m" : "mm";
                    case 'S' -> noPad ? "s" : "ss";
                    case 'Y' -> "yyyy";
                    case 'y' -> "yy";
                    case 'b' -> "MMM";
                    case 'B' -> "MMMM";
                    case 'a' -> "EEE";
                    case 'A' -> "EEEE";
                    case 'p' -> "a";
                    case 'j' -> noPad ? "D" : "DDD";
                    case '%' -> "'%'";
                    default -> throw new IllegalArgumentException("strftime directive %" + d + " is not supported");
                };
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(t);
    }
}
