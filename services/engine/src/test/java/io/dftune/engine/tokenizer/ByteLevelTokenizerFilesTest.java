package io.dftune.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelTokenizerFilesTest {

    private static final Map<String, String> NO_EXTRAS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    @TempDir
    Path dir;

    private static HuggingFaceTokenizer djl(ByteLevelTokenizerFiles.Written w) throws Exception {
        return HuggingFaceTokenizer.newInstance(w.tokenizerJson(), NO_EXTRAS);
    }

    @Test
    void alphabetCoversEveryByteWithDistinctPrintableSymbols() {
        Set<String> symbols = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            String s = ByteLevelAlphabet.symbol(b);
            assertThat(s).hasSize(1);
            assertThat(Character.isWhitespace(s.charAt(0))).as("byte %d", b).isFalse();
            symbols.add(s);
        }
        assertThat(symbols).hasSize(256);
        assertThat(ByteLevelAlphabet.symbol('a')).isEqualTo("a");
        assertThat(ByteLevelAlphabet.symbol(' ')).isEqualTo("\u0120");
        assertThat(ByteLevelAlphabet.symbol('\n')).isEqualTo("\u010A");
        assertThat(ByteLevelAlphabet.symbols("é")).containsExactly("\u00C3", "\u00A9");
    }

    @Test
    void preTokenizerKeepsLeadingSpaceWithTheWord() {
        assertThat(ByteLevelAlphabet.preTokenize("Hello world, it's 42!\n\n  x"))
                .containsExactly("Hello", " world", ",", " it", "'s", " 42", "!", "\n\n ", " x");
    }

    @Test
    void writtenTokenizerRoundTripsArbitraryTextInDjl() throws Exception {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.chatml(dir);
        try (HuggingFaceTokenizer tok = djl(w)) {
            for (String text : List.of(
                    "the quick brown fox",
                    "héllo wörld 🤖 — 中文\n\n\tTabs  and   spaces ",
                    "line1\r\nline2\n",
                    "",
                    " ",
                    "\u0000\u0001 control",
                    "x".repeat(3000))) {
                Encoding e = tok.encode(text, false, false);
                assertThat(tok.decode(e.getIds(), false)).isEqualTo(text);
                assertThat(Arrays.stream(e.getIds())).allMatch(id -> id >= 0 && id < w.vocabSize());
            }
        }
    }

    @Test
    void specialTokensEncodeToTheirSingleIdsAfterTheBpeVocabulary() throws Exception {
        ByteLevelTokenizerFiles.Written w = TokenizerFixtures.chatml(dir);
        Map<String, Integer> ids = w.specialTokenIds();
        assertThat(ids).containsOnlyKeys("<|endoftext|>", "<|im_start|>", "<|im_end|>");
        assertThat(ids.get("<|im_end|>")).isEqualTo(w.vocabSize() - 1);
        assertThat(ids.get("<|endoftext|>")).isEqualTo(w.vocabSize() - 3);
        try (HuggingFaceTokenizer tok = djl(w)) {
            for (Map.Entry<String, Integer> e : ids.entrySet()) {
                assertThat(tok.encode(e.getKey(), false, false).getIds()).containsExactly(e.getValue());
            }
            long[] chat =
                    tok.encode("<|im_start|>user\nhi<|im_end|>", false, false).getIds();
            assertThat(chat[0]).isEqualTo(ids.get("<|im_start|>").longValue());
            assertThat(chat[chat.length - 1]).isEqualTo(ids.get("<|im_end|>").longValue());
            assertThat(tok.decode(chat, true)).isEqualTo("user\nhi");
        }
    }

    @Test
    void learnedMergesShortenEncodings() throws Exception {
        ByteLevelTokenizerFiles.Written bytesOnly =
                ByteLevelTokenizerFiles.builder().eosToken("<|endoftext|>").write(dir.resolve("bytes"));
        ByteLevelTokenizerFiles.Written merged = ByteLevelTokenizerFiles.builder()
                .eosToken("<|endoftext|>")
                .trainMerges(TokenizerFixtures.CORPUS, 100)
                .write(dir.resolve("merged"));
        assertThat(bytesOnly.vocabSize()).isEqualTo(257);
        assertThat(merged.vocabSize()).isGreaterThan(300);
        String text = "the capital of France is Paris";
        try (HuggingFaceTokenizer a = djl(bytesOnly);
                HuggingFaceTokenizer b = djl(merged)) {
            long[] byteIds = a.encode(text, false, false).getIds();
            long[] mergedIds = b.encode(text, false, false).getIds();
            assertThat(byteIds).hasSize(text.length());
            assertThat(mergedIds.length).isLessThan(byteIds.length / 2);
            assertThat(b.decode(mergedIds, false)).isEqualTo(text);
            assertThat(b.encode(" capital", false, false).getTokens()).containsExactly("\u0120capital");
        }
    }

    @Test
    void trainerIsDeterministicAndNeverMergesAcrossWordsOrIntoSpecialTokens() {
        String text = "<|im_end|>aaaa bbbb<|im_end|> aaaa bbbb<|im_end|>";
        List<BpeTrainer.Merge> merges = BpeTrainer.learnMerges(text, 50, List.of("<|im_end|>"));
        assertThat(merges).isEqualTo(BpeTrainer.learnMerges(text, 50, List.of("<|im_end|>")));
        assertThat(merges.get(0)).isEqualTo(new BpeTrainer.Merge("a", "a"));
        assertThat(merges).noneMatch(m -> m.merged().contains("|") || m.merged().contains("<"));
        assertThat(merges).noneMatch(m -> m.merged().contains("a") && m.merged().contains("b"));
        // Stops when no pair repeats, well before 50.
        assertThat(merges.size()).isLessThan(10);
    }

    @Test
    void rejectsMergesThatUseUndefinedSymbols() {
        ByteLevelTokenizerFiles b =
                ByteLevelTokenizerFiles.builder().eosToken("</s>").merges(List.of(new BpeTrainer.Merge("ab", "c")));
        assertThatThrownBy(() -> b.write(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ab");
    }

    @Test
    void requiresAnEosToken() {
        assertThatThrownBy(() -> ByteLevelTokenizerFiles.builder().write(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("eos");
    }
}
