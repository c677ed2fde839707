package io.dftune.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPT-2 byte-level alphabet: every byte maps to one printable character, so a BPE vocabulary over
 * these characters can spell any UTF-8 text. Bytes that are visible Latin-1 characters map to
 * themselves; the rest (control characters, space, etc.) map to U+0100 onwards in byte order. This is
 * the mapping the Hugging Face {@code ByteLevel} pre-tokenizer and decoder use.
 */
public final class ByteLevelAlphabet {

    /**
     * The GPT-2 split pattern the {@code ByteLevel} pre-tokenizer applies when {@code use_regex} is true.
     * Java needs UNICODE_CHARACTER_CLASS so that \s matches the same characters as the Rust regex.
     */
    static final Pattern PRE_TOKENIZER = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_TO_CHAR = buildTable();

    private ByteLevelAlphabet() {}

    private static char[] buildTable() {
        char[] table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean visible = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = visible ? (char) b : (char) next++;
        }
        return table;
    }

    /** The symbol (one character) that stands for byte {@code b} (0..255). */
    public static String symbol(int b) {
        if (b < 0 || b > 255) {
            throw new IllegalArgumentException("not a byte: " + b);
        }
        return String.valueOf(BYTE_TO_CHAR[b]);
    }

    /** The byte-level symbols of the UTF-8 encoding of {@code text}, one per byte. */
    public static List<String> symbols(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(symbol(b & 0xFF));
        }
        return out;
    }

    /** Splits text into the words the {@code ByteLevel} pre-tokenizer produces (BPE never merges across them). */
    public static List<String> preTokenize(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = PRE_TOKENIZER.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
