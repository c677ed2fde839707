package io.dftune.engine.tokenizer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small greedy byte-level BPE trainer: repeatedly merges the most frequent adjacent symbol pair
 * within pre-tokenized words. Meant for compact vocabularies of small project models, not for
 * training on gigabytes.
 */
public final class BpeTrainer {

    /** One learned merge: {@code left + right} becomes a new token. */
    public record Merge(String left, String right) {
        public String merged() {
            return left + right;
        }
    }

    private BpeTrainer() {}

    /**
     * Learns up to {@code maxMerges} merges from {@code text}, in the order they apply. Stops early when no
     * pair occurs at least twice. Occurrences of {@code excludedTokens} (special tokens) are cut out of the
     * text first so no merge spans or spells them. Ties are broken by the pair's text so the result does
     * not depend on hash order.
     */
    public static List<Merge> learnMerges(String text, int maxMerges, Collection<String> excludedTokens) {
        if (maxMerges < 0) {
            throw new IllegalArgumentException("maxMerges must be >= 0, got " + maxMerges);
        }
        List<Word> words = countWords(text, excludedTokens);
        List<Merge> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Merge best = mostFrequentPair(words);
            if (best == null) {
                break;
            }
            for (Word w : words) {
                w.apply(best);
            }
            merges.add(best);
        }
        return merges;
    }

    private static List<Word> countWords(String text, Collection<String> excludedTokens) {
        String[] pieces = new String[] {text};
        if (!excludedTokens.isEmpty()) {
            String alternatives =
                    String.join("|", excludedTokens.stream().map(Pattern::quote).toList());
            pieces = text.split(alternatives);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String piece : pieces) {
            for (String word : ByteLevelAlphabet.preTokenize(piece)) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<Word> words = new ArrayList<>(counts.size());
        counts.forEach((w, c) -> words.add(new Word(ByteLevelAlphabet.symbols(w), c)));
        return words;
    }

    private static Merge mostFrequentPair(List<Word> words) {
        Map<Merge, Long> pairCounts = new HashMap<>();
        for (Word w : words) {
            for (int i = 0; i + 1 < w.symbols.size(); i++) {
                pairCounts.merge(new Merge(w.symbols.get(i), w.symbols.get(i + 1)), (long) w.count, Long::sum);
            }
        }
        Merge best = null;
        long bestCount = 1;
        for (Map.Entry<Merge, Long> e : pairCounts.entrySet()) {
            long c = e.getValue();
            if (c > bestCount || (c == bestCount && best != null && compare(e.getKey(), best) < 0)) {
                best = e.getKey();
                bestCount = c;
            }
        }
        return best;
    }

    private static int compare(Merge a, Merge b) {
        int c = a.left().compareTo(b.left());
        return c != 0 ? c : a.right().compareTo(b.right());
    }

    private static final class Word {
        final List<String> symbols;
        final int count;

        Word(List<String> symbols, int count) {
            this.symbols = new ArrayList<>(symbols);
            this.count = count;
        }

        void apply(Merge m) {
            for (int i = 0; i + 1 < symbols.size(); i++) {
                if (symbols.get(i).equals(m.left()) && symbols.get(i + 1).equals(m.right())) {
                    symbols.set(i, m.merged());
                    symbols.remove(i + 1);
                }
            }
        }
    }
}
