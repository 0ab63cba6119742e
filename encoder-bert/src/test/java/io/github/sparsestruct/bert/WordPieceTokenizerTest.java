package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-made cases against the real cased BERT-base vocabulary. Expected ids were looked up by hand in
 * {@code assets/vocab.txt} (id = line number − 1); {@link #ids} only maps piece strings to line numbers.
 */
class WordPieceTokenizerTest {

    private static WordPieceTokenizer tok;
    private static List<String> vocab;

    @BeforeAll
    static void load() throws Exception {
        vocab = BertVocabFixture.lines();
        tok = BertVocabFixture.tokenizer();
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    /** Piece strings to ids by their line in vocab.txt (fails on a piece that is not there). */
    private static int[] ids(String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = vocab.indexOf(pieces[i]);
            assertThat(out[i]).as("piece %s in vocab", pieces[i]).isNotNegative();
        }
        return out;
    }

    @Test
    void vocabularyAndSpecialIds() {
        assertThat(tok.vocabSize()).isEqualTo(28996);
        assertThat(tok.padId()).isEqualTo(0);
        assertThat(tok.unkId()).isEqualTo(100);
        assertThat(tok.clsId()).isEqualTo(101);
        assertThat(tok.sepId()).isEqualTo(102);
        assertThat(tok.piece(7661)).isEqualTo("Obama");
    }

    @Test
    void wholeWordsAreOnePiece() {
        assertThat(tok.pieces("Obama")).containsExactly(7661);
        assertThat(tok.pieces("Washington")).containsExactly(1994);
        assertThat(tok.pieces("Tokyo")).containsExactly(4839);
    }

    @Test
    void greedyLongestMatchFirstWithContinuationPrefix() {
        assertThat(tok.pieces("unaffable")).containsExactly(8362, 9823, 8057, 2165); // un ##af ##fa ##ble
        assertThat(tok.pieces("unaffable")).containsExactly(ids("un", "##af", "##fa", "##ble"));
        assertThat(tok.pieces("tokenization")).containsExactly(22559, 2734); // token ##ization
        assertThat(tok.pieces("anothers")).containsExactly(1330, 1116); // another ##s
        assertThat(tok.pieces("morcillas")).containsExactly(ids("m", "##or", "##cilla", "##s"));
    }

    @Test
    void punctuationIsSplitInsideOneToken() {
        assertThat(tok.pieces("don't")).containsExactly(1274, 112, 189); // don ' t
        assertThat(tok.pieces("U.S.")).containsExactly(158, 119, 156, 119); // U . S .
        assertThat(tok.pieces("Al-Zaman")).containsExactly(ids("Al", "-", "Z", "##aman"));
        int[] sep = tok.pieces("[SEP]");
        assertThat(sep).doesNotContain(102);
        assertThat(sep[0]).isEqualTo(164); // [
        assertThat(sep[sep.length - 1]).isEqualTo(166); // ]
    }

    @Test
    void caseAndAccentsAreKept() {
        assertThat(tok.pieces("Zürich")).containsExactly(16592);
        assertThat(tok.pieces("Zurich")).containsExactly(16142);
        assertThat(tok.pieces("café")).containsExactly(20583);
        assertThat(tok.pieces("Cafés")).containsExactly(21036, 1116); // Café ##s
        assertThat(tok.pieces("naïve")).containsExactly(9468, 28203, 2707); // na ##ï ##ve
        assertThat(tok.pieces("Mühlhausen")).containsExactly(150, 17176, 8495, 12399); // M ##ü ##hl ##hausen
        assertThat(tok.pieces("obama")).isNotEqualTo(new int[] {7661});
    }

    @Test
    void cjkIdeographsAreSingleWords() {
        assertThat(tok.pieces("中国人")).containsExactly(980, 1004, 985); // no ## on 国, 人
    }

    @Test
    void emojiAndAstralCharactersGiveOneTokensWorth() {
        assertThat(tok.pieces("😀")).containsExactly(100);
        assertThat(tok.pieces("𝒳")).containsExactly(100);
        assertThat(tok.pieces("a😀")).containsExactly(100); // "##😀" is not a piece: the whole word is [UNK]
        assertThat(tok.pieces(new String[] {"😀", "Obama", "𝒳"}))
                .isDeepEqualTo(new int[][] {{100}, {7661}, {100}});
    }

    @Test
    void controlAndFormatCharactersAreDropped() {
        assertThat(tok.pieces("Ob\u0000ama")).containsExactly(7661);
        assertThat(tok.pieces("Oba\u200Bma")).containsExactly(7661); // zero-width space (Cf)
        assertThat(tok.pieces("Oba\u00ADma")).containsExactly(7661); // soft hyphen (Cf)
        assertThat(tok.pieces("Ob\uFFFDama")).containsExactly(7661);
        assertThat(tok.pieces("\u0007")).containsExactly(100);
        assertThat(tok.pieces("\u200B")).containsExactly(100);
        assertThat(tok.pieces("\uFFFD")).containsExactly(100);
    }

    @Test
    void whitespaceInsideATokenSplitsWords() {
        assertThat(tok.pieces("New York")).containsExactly(1203, 1365);
        assertThat(tok.pieces("New\u00A0York")).containsExactly(1203, 1365);
        assertThat(tok.pieces("New\tYork")).containsExactly(1203, 1365);
        assertThat(tok.pieces(" ")).containsExactly(100);
    }

    @Test
    void longWordsBecomeUnknown() {
        assertThat(tok.pieces("a".repeat(200))).containsExactly(100);
        assertThat(tok.pieces("a".repeat(101))).containsExactly(100);
        // a, then 49 x ##aa (the longest match), then ##a
        int[] hundred = new int[51];
        Arrays.fill(hundred, 22118); // ##aa
        hundred[0] = 170; // a
        hundred[50] = 1161; // ##a
        assertThat(tok.pieces("a".repeat(100))).containsExactly(hundred);
        // the limit is per word, not per token
        int[] two = tok.pieces("a".repeat(60) + "-" + "a".repeat(60));
        assertThat(two).hasSize(63).doesNotContain(100).contains(118); // 31 + "-" + 31
    }

    @Test
    void emptyTokenAndEmptySentence() {
        assertThat(tok.pieces("")).containsExactly(100);
        assertThat(tok.pieces(new String[0])).isEmpty();
        assertThat(tok.pieces(new String[] {"", "Obama", ""}))
                .isDeepEqualTo(new int[][] {{100}, {7661}, {100}});
    }

    @Test
    void loneSurrogateDoesNotCrash() {
        assertThat(tok.pieces("Obama\uD800")).containsExactly(7661);
        assertThat(tok.pieces("\uDC00")).containsExactly(100);
    }

    @Test
    void sentenceKeepsTokenBoundaries() {
        String[] tokens = {"Obama", "visited", "Zürich", "."};
        int[][] p = tok.pieces(tokens);
        assertThat(p.length).isEqualTo(4);
        assertThat(p[0]).containsExactly(7661);
        assertThat(p[2]).containsExactly(16592);
        assertThat(p[3]).containsExactly(119);
        // "##" pieces never start a token
        for (String t : new String[] {"aaaa", "ably", "sism"}) {
            assertThat(tok.piece(tok.pieces(new String[] {"x", t})[1][0])).doesNotStartWith("##");
        }
    }

    @Test
    void tinyVocabulary() throws Exception {
        String v = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nun\n##aff\n##able\na\n##b\n-\n##a\n";
        try (WordPieceTokenizer t =
                WordPieceTokenizer.fromVocab(new ByteArrayInputStream(v.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(t.vocabSize()).isEqualTo(11);
            assertThat(t.pieces("unaffable")).containsExactly(4, 5, 6);
            assertThat(t.pieces("unaffablex")).containsExactly(1);
            assertThat(t.pieces("ab-un")).containsExactly(7, 8, 9, 4);
            assertThat(t.pieces("aab")).containsExactly(7, 10, 8);
            assertThat(t.pieces("b")).containsExactly(1); // "##b" does not match at a word start
            assertThat(t.pieces("Un")).containsExactly(1); // no lower-casing
        }
    }

    @Test
    void vocabularyNeedsSpecialPieces() {
        byte[] v = "[PAD]\n[UNK]\n[CLS]\na\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WordPieceTokenizer.fromVocab(new ByteArrayInputStream(v)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[SEP]");
    }

    @Test
    void threadSafe() throws Exception {
        List<String[]> sentences = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sentences.add(
                    new String[] {"Obama", "visited", "Zürich", "in", String.valueOf(1900 + i), "don't", "中国"});
        }
        List<int[][]> expected = new ArrayList<>();
        for (String[] s : sentences) {
            expected.add(tok.pieces(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < 20; r++) {
                        for (int i = 0; i < sentences.size(); i++) {
                            if (!Arrays.deepEquals(tok.pieces(sentences.get(i)), expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
