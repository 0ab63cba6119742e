package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WordPieceTokenizer} (HuggingFace tokenizers) against {@link ReferenceWordPiece} (plain Java) on every token
 * of UNER English-EWT; then the speed of {@link WordPieceTokenizer#pieces} on one thread (printed, not asserted).
 */
class WordPieceAgreementTest {

    private static final Path DATA = Path.of("/work/shared/data/uner-english-ewt");

    /** The sentences (token forms) of an IOB2 file: tab-separated lines {@code index form tag ...}, "#" comments. */
    static List<String[]> sentences(Path iob2) throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String line : Files.readAllLines(iob2, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) {
                    out.add(cur.toArray(new String[0]));
                    cur.clear();
                }
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length >= 2 && !f[0].isEmpty() && f[0].chars().allMatch(Character::isDigit)) {
                cur.add(f[1]);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toArray(new String[0]));
        }
        return out;
    }

    private static void agree(String file) throws Exception {
        Path path = DATA.resolve(file);
        assumeTrue(Files.isRegularFile(path), "no " + path);
        List<String[]> sentences = sentences(path);
        ReferenceWordPiece ref = new ReferenceWordPiece(BertVocabFixture.lines());
        try (WordPieceTokenizer tok = BertVocabFixture.tokenizer()) {
            long tokens = 0;
            long pieces = 0;
            long unk = 0;
            long multi = 0;
            List<String> differ = new ArrayList<>();
            for (String[] s : sentences) {
                int[][] got = tok.pieces(s);
                assertThat(got.length).isEqualTo(s.length);
                for (int i = 0; i < s.length; i++) {
                    int[] want = ref.pieces(s[i]);
                    tokens++;
                    pieces += got[i].length;
                    if (got[i].length == 1 && got[i][0] == tok.unkId()) {
                        unk++;
                    }
                    if (got[i].length > 1) {
                        multi++;
                    }
                    if (!Arrays.equals(got[i], want)) {
                        differ.add(s[i] + " lib=" + Arrays.toString(got[i]) + " ref=" + Arrays.toString(want));
                    }
                }
            }
            System.out.printf(
                    "%s: %d sentences, %d tokens, %d pieces, %d tokens split into several pieces, %d tokens [UNK]; "
                            + "%d tokens differ%n",
                    file, sentences.size(), tokens, pieces, multi, unk, differ.size());
            differ.stream().limit(20).forEach(d -> System.out.println("  differs: " + d));
            assertThat(differ).isEmpty();
            assertThat(tokens).isPositive();
        }
    }

    @Test
    void libraryAgreesWithReferenceOnUnerDev() throws Exception {
        agree("en_ewt-ud-dev.iob2");
    }

    @Test
    void libraryAgreesWithReferenceOnUnerTrain() throws Exception {
        agree("en_ewt-ud-train.iob2");
    }

    @Test
    void libraryAgreesWithReferenceOnUnusualCharacters() throws Exception {
        String[] cases = {"Obama\u2028Obama", "Obama\u2029x", "x\u0085y", "a\u180Eb", "a\u0378b", "«Obama»",
                "a\u061Db", "a\uA8FCb", "£5", "$5", "^_^", "a\u3000b", "\u4E00\u4E01", "\uD86E\uDC20", "\uD86E\uDD20",
                "\uD869\uDEDF", "a\u00A0b", "\u1680x", "Œuvre", "ǅ", "ﬁne", "x\u202Fy", "x\u2007y", "\uFEFFObama",
                "e\u0301", "\u0301", "ⅷ", "１２３", "Ａ", "ｶ", "\uD83D\uDC4D\uD83C\uDFFD", "\u200D", "x\u2060y",
                "a\u115Fb", "\u0000", "a\tb\nc\rd"};
        ReferenceWordPiece ref = new ReferenceWordPiece(BertVocabFixture.lines());
        try (WordPieceTokenizer tok = BertVocabFixture.tokenizer()) {
            for (String c : cases) {
                assertThat(tok.pieces(c)).as(c).containsExactly(ref.pieces(c));
            }
        }
    }
}
