package io.dftune.engine.tokenizer;

import io.dftune.engine.tokenizer.jinja.Callable;
import io.dftune.engine.tokenizer.jinja.Template;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The global functions transformers passes to chat templates: {@code raise_exception} and {@code strftime_now}. */
final class TemplateFunctions {

    static final Callable RAISE_EXCEPTION = (args, kwargs) -> {
        throw Template.raised(args.isEmpty() ? "" : String.valueOf(args.get(0)));
    };

    private TemplateFunctions() {}

    /** Python's {@code datetime.now().strftime(format)}, reading {@code clock}. */
    static Callable strftimeNow(Clock clock) {
        return (args, kwargs) -> {
            if (args.size() != 1 || !(args.get(0) instanceof String format)) {
                throw new IllegalArgumentException("strftime_now takes one format string");
            }
            return strftime(LocalDateTime.now(clock), format);
        };
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
