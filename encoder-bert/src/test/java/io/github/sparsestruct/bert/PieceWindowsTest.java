package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceWindowsTest {

    private static final int CLS = 101;
    private static final int SEP = 102;

    @Test
    void fitsInOneWindow() {
        PieceWindows w = PieceWindows.of(new int[][] {{5}, {6, 7}, {8}}, 6, CLS, SEP);
        assertThat(w.windowCount()).isEqualTo(1);
        assertThat(w.windows()).isDeepEqualTo(new int[][] {{CLS, 5, 6, 7, 8, SEP}});
        assertThat(new int[] {w.window(0), w.window(1), w.window(2)}).containsExactly(0, 0, 0);
        assertThat(new int[] {w.position(0), w.position(1), w.position(2)}).containsExactly(1, 2, 4);
        assertThat(w.pieceCount(1)).isEqualTo(2);
        assertThat(w.firstToken(0)).isZero();
        assertThat(w.endToken(0)).isEqualTo(3);
    }

    @Test
    void oneOverTheLimitGivesTwoWindows() {
        // content 3; pieces 1 + 2 + 1 = 4
        PieceWindows w = PieceWindows.of(new int[][] {{5}, {6, 7}, {8}}, 5, CLS, SEP);
        assertThat(w.windows()).isDeepEqualTo(new int[][] {{CLS, 5, 6, 7, SEP}, {CLS, 6, 7, 8, SEP}});
        // token 1: in window 0 its sides are (unbounded, 1), in window 1 (0, unbounded)
        assertThat(new int[] {w.window(0), w.window(1), w.window(2)}).containsExactly(0, 0, 1);
        assertThat(new int[] {w.position(0), w.position(1), w.position(2)}).containsExactly(1, 2, 3);
    }

    @Test
    void longSentenceOfSinglePieces() {
        int[][] pieces = new int[10][];
        for (int i = 0; i < 10; i++) {
            pieces[i] = new int[] {10 + i};
        }
        PieceWindows w = PieceWindows.of(pieces, 6, CLS, SEP); // content 4, stride 2
        assertThat(w.windows()).isDeepEqualTo(new int[][] {
                {CLS, 10, 11, 12, 13, SEP},
                {CLS, 12, 13, 14, 15, SEP},
                {CLS, 14, 15, 16, 17, SEP},
                {CLS, 16, 17, 18, 19, SEP}});
        int[] window = new int[10];
        int[] position = new int[10];
        for (int i = 0; i < 10; i++) {
            window[i] = w.window(i);
            position[i] = w.position(i);
        }
        assertThat(window).containsExactly(0, 0, 0, 1, 1, 2, 2, 3, 3, 3);
        assertThat(position).containsExactly(1, 2, 3, 2, 3, 2, 3, 2, 3, 4);
    }

    @Test
    void singlePieceTokensOverlapByHalfAWindow() {
        for (int maxLength = 4; maxLength <= 40; maxLength++) {
            int content = maxLength - 2;
            int[][] pieces = new int[5 * maxLength + 3][];
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = new int[] {i};
            }
            PieceWindows w = PieceWindows.of(pieces, maxLength, CLS, SEP);
            assertThat(w.windowCount()).isGreaterThan(2);
            for (int k = 1; k < w.windowCount(); k++) {
                int overlap = w.endToken(k - 1) - w.firstToken(k);
                assertThat(overlap).as("maxLength %d window %d", maxLength, k).isEqualTo(content / 2);
            }
        }
    }

    @Test
    void giantTokenIsCutAndStandsAlone() {
        int[] giant = new int[10];
        for (int i = 0; i < 10; i++) {
            giant[i] = 20 + i;
        }
        PieceWindows w = PieceWindows.of(new int[][] {{1}, giant, {3}}, 5, CLS, SEP);
        assertThat(w.windows()).isDeepEqualTo(new int[][] {{CLS, 1, SEP}, {CLS, 20, 21, 22, SEP}, {CLS, 3, SEP}});
        assertThat(new int[] {w.window(0), w.window(1), w.window(2)}).containsExactly(0, 1, 2);
        assertThat(new int[] {w.position(0), w.position(1), w.position(2)}).containsExactly(1, 1, 1);
        assertThat(w.pieceCount(1)).isEqualTo(3);

        PieceWindows alone = PieceWindows.of(new int[][] {giant}, 4, CLS, SEP);
        assertThat(alone.windows()).isDeepEqualTo(new int[][] {{CLS, 20, 21, SEP}});
        assertThat(alone.position(0)).isEqualTo(1);
        assertThat(alone.pieceCount(0)).isEqualTo(2);
    }

    @Test
    void emptySentenceHasNoWindow() {
        PieceWindows w = PieceWindows.of(new int[0][], 512, CLS, SEP);
        assertThat(w.windowCount()).isZero();
        assertThat(w.tokenCount()).isZero();
        assertThat(w.windows()).isEmpty();
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> PieceWindows.of(new int[][] {{1}}, 2, CLS, SEP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PieceWindows.of(new int[][] {{1}, {}}, 10, CLS, SEP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 1");
    }

    @Test
    void windowsAreCopies() {
        PieceWindows w = PieceWindows.of(new int[][] {{5}}, 8, CLS, SEP);
        w.windows()[0][1] = 99;
        w.windowIds(0)[1] = 99;
        assertThat(w.windowIds(0)).containsExactly(CLS, 5, SEP);
    }

    @Test
    void randomSentencesKeepTheRules() {
        Random random = new Random(20240611L);
        for (int trial = 0; trial < 3000; trial++) {
            int n = random.nextInt(40);
            int maxLength = 3 + random.nextInt(20);
            int[][] pieces = new int[n][];
            int id = 1000;
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(10) == 0 ? 1 + random.nextInt(30) : 1 + random.nextInt(3);
                pieces[i] = new int[k];
                for (int j = 0; j < k; j++) {
                    pieces[i][j] = id++;
                }
            }
            checkRules(pieces, maxLength);
        }
    }

    @Test
    void unerDevSentencesKeepTheRules() throws Exception {
        Path dev = Path.of("/work/shared/data/uner-english-ewt/en_ewt-ud-dev.iob2");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(dev));
        List<String[]> sentences = WordPieceAgreementTest.sentences(dev);
        try (WordPieceTokenizer tok = BertVocabFixture.tokenizer()) {
            int single = 0;
            for (String[] s : sentences) {
                int[][] p = tok.pieces(s);
                PieceWindows full = checkRules(p, 512);
                if (full.windowCount() == 1) {
                    single++;
                }
                checkRules(p, 16);
            }
            assertThat(single).isEqualTo(sentences.size());
        }
    }

    /** Checks every documented rule from the outside; returns the layout. */
    private static PieceWindows checkRules(int[][] pieces, int maxLength) {
        int content = maxLength - 2;
        int n = pieces.length;
        PieceWindows w = PieceWindows.of(pieces, maxLength, CLS, SEP);
        String ctx = Arrays.deepToString(pieces) + " maxLength " + maxLength;
        assertThat(w.tokenCount()).as(ctx).isEqualTo(n);
        int total = 0;
        for (int[] p : pieces) {
            total += Math.min(p.length, content);
        }
        if (n == 0) {
            assertThat(w.windowCount()).as(ctx).isZero();
            return w;
        }
        int[][] windows = w.windows();
        if (total <= content) {
            assertThat(windows.length).as(ctx).isEqualTo(1);
        }
        for (int k = 0; k < windows.length; k++) {
            int[] ids = windows[k];
            assertThat(ids.length).as(ctx).isLessThanOrEqualTo(maxLength);
            assertThat(ids[0]).isEqualTo(CLS);
            assertThat(ids[ids.length - 1]).isEqualTo(SEP);
            // a window is whole tokens first..end-1, each cut to the content length
            int p = 1;
            for (int i = w.firstToken(k); i < w.endToken(k); i++) {
                int keep = Math.min(pieces[i].length, content);
                assertThat(Arrays.copyOfRange(ids, p, p + keep)).as(ctx)
                        .containsExactly(Arrays.copyOf(pieces[i], keep));
                p += keep;
            }
            assertThat(p).as(ctx).isEqualTo(ids.length - 1);
            assertThat(w.endToken(k)).isGreaterThan(w.firstToken(k));
            if (k == 0) {
                assertThat(w.firstToken(0)).isZero();
            } else {
                assertThat(w.firstToken(k)).as(ctx).isGreaterThan(w.firstToken(k - 1));
                assertThat(w.firstToken(k)).as(ctx).isLessThanOrEqualTo(w.endToken(k - 1));
                assertThat(w.endToken(k)).as(ctx).isGreaterThan(w.endToken(k - 1));
            }
            // greedy: the window could not also hold the next token
            if (w.endToken(k) < n) {
                int next = Math.min(pieces[w.endToken(k)].length, content);
                assertThat(ids.length - 2 + next).as(ctx).isGreaterThan(content);
            }
        }
        assertThat(w.endToken(windows.length - 1)).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            int chosen = w.window(i);
            int pos = w.position(i);
            assertThat(w.firstToken(chosen) <= i && i < w.endToken(chosen)).as(ctx).isTrue();
            assertThat(w.pieceCount(i)).isEqualTo(Math.min(pieces[i].length, content));
            assertThat(windows[chosen][pos]).as(ctx).isEqualTo(pieces[i][0]);
            // the chosen window maximises the smaller context side; ties to the earlier window
            long bestScore = -1;
            int best = -1;
            for (int k = 0; k < windows.length; k++) {
                if (w.firstToken(k) <= i && i < w.endToken(k)) {
                    int at = 1;
                    for (int t = w.firstToken(k); t < i; t++) {
                        at += Math.min(pieces[t].length, content);
                    }
                    if (k == chosen) {
                        assertThat(pos).as(ctx).isEqualTo(at);
                    }
                    long left = w.firstToken(k) == 0 ? Long.MAX_VALUE : at - 1;
                    long right = w.endToken(k) == n ? Long.MAX_VALUE : windows[k].length - 2 - at;
                    long score = Math.min(left, right);
                    if (score > bestScore) {
                        bestScore = score;
                        best = k;
                    }
                }
            }
            assertThat(chosen).as(ctx + " token " + i).isEqualTo(best);
        }
        return w;
    }
}
