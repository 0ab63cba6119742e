package io.github.sparsestruct.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder of pre-tokenised sentences on a tiny random BERT: token vectors are the first piece's rows of the
 * ONNX Runtime pass, whatever the batch; windows give each token its window's row; edge cases never crash.
 */
class BertEncoderTest {
    @TempDir
    static Path tmp;
    static TinyBert model;
    static OnnxBert bert;
    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void build() throws Exception {
        model = TinyBert.standard(77L);
        model.writeSavedModel(tmp);
        try (TensorBundle b = TensorBundle.open(tmp.resolve("variables"))) {
            new OnnxBertBuilder(b, BertConfig.of(b, 2)).write(tmp.resolve("m.onnx"), OnnxBertBuilder.Precision.FP32,
                    0, 1);
        }
        bert = new OnnxBert(tmp.resolve("m.onnx"), 1);
        tokenizer = WordPieceTokenizer.fromVocab(tmp.resolve("assets/vocab.txt"));
    }

    @AfterAll
    static void close() {
        bert.close();
        tokenizer.close();
    }

    private static BertEncoder encoder(int maxLength) {
        return new BertEncoder("tiny", bert, tokenizer, maxLength);
    }

    private static String[] sentence(Random r, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = "w" + (4 + r.nextInt(46));
        }
        return s;
    }

    /** The direct pass of [CLS] ids [SEP] (the words are single pieces "wN" = id N). */
    private static float[][] direct(String[] words) throws Exception {
        int[] ids = new int[words.length + 2];
        ids[0] = TinyBert.CLS;
        for (int i = 0; i < words.length; i++) {
            ids[i + 1] = Integer.parseInt(words[i].substring(1));
        }
        ids[ids.length - 1] = TinyBert.SEP;
        return bert.run(new int[][] {ids})[0];
    }

    @Test
    void aTokenGetsItsFirstPiecesRowInEachLayer() throws Exception {
        Random r = new Random(1);
        List<String[]> batch = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            batch.add(sentence(r, 1 + r.nextInt(20)));
        }
        List<float[]> got = encoder(512).encode(batch);
        assertThat(got).hasSize(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String[] s = batch.get(i);
            float[][] want = direct(s);
            float[] v = got.get(i);
            assertThat(v).hasSize(s.length * 2 * 32);
            for (int k = 0; k < s.length; k++) {
                for (int l = 0; l < 2; l++) {
                    for (int d = 0; d < 32; d++) {
                        assertThat((double) v[(k * 2 + l) * 32 + d]).as("sentence %d token %d layer %d", i, k, l)
                                .isCloseTo(want[l][(k + 1) * 32 + d], org.assertj.core.data.Offset.offset(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void aTokenOfSeveralPiecesReadsItsFirstPiece() throws Exception {
        // "w7.w9" is split by the basic tokenizer into w7 . w9 ('.' is not in the vocabulary: [UNK] = 1)
        float[] v = encoder(512).encode(List.<String[]>of(new String[] {"w5", "w7.w9", "w6"})).get(0);
        float[][] want = bert.run(new int[][] {{TinyBert.CLS, 5, 7, 1, 9, 6, TinyBert.SEP}})[0];
        for (int d = 0; d < 32; d++) {
            assertThat((double) v[(1 * 2 + 1) * 32 + d]).isCloseTo(want[1][2 * 32 + d],
                    org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) v[(2 * 2) * 32 + d]).isCloseTo(want[0][5 * 32 + d],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void windowsAgreeWithTheUnwindowedPassWhenTheSentenceFitsAndUseTheirOwnRowsOtherwise() throws Exception {
        Random r = new Random(2);
        String[] fits = sentence(r, 10);
        assertThat(encoder(12).encode(List.<String[]>of(fits)).get(0))
                .containsExactly(encoder(512).encode(List.<String[]>of(fits)).get(0));
        String[] longer = sentence(r, 30);
        float[] v = encoder(12).encode(List.<String[]>of(longer)).get(0);
        int[][] pieces = tokenizer.pieces(longer);
        PieceWindows w = PieceWindows.of(pieces, 12, TinyBert.CLS, TinyBert.SEP);
        assertThat(w.windowCount()).isGreaterThan(2);
        for (int k = 0; k < longer.length; k++) {
            float[][] row = bert.run(new int[][] {w.windowIds(w.window(k))})[0];
            for (int l = 0; l < 2; l++) {
                for (int d = 0; d < 32; d++) {
                    assertThat((double) v[(k * 2 + l) * 32 + d]).isCloseTo(row[l][w.position(k) * 32 + d],
                            org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
        // a sentence longer than the model's 40 positions works at the model's own limit
        String[] huge = sentence(r, 100);
        float[] h = new BertEncoder("tiny", bert, tokenizer, Integer.MAX_VALUE).encode(List.<String[]>of(huge))
                .get(0);
        assertThat(h).hasSize(100 * 64);
        for (float x : h) {
            assertThat(Float.isFinite(x)).isTrue();
        }
    }

    @Test
    void emptySentencesAndOddTokensGiveDefinedResults() {
        String giant = "w".repeat(200);
        List<float[]> got = encoder(512).encode(List.of(new String[0], new String[] {giant, "\uD83D\uDE00", "\u0000",
                "", "w4"}));
        assertThat(got.get(0)).isEmpty();
        assertThat(got.get(1)).hasSize(5 * 64);
        for (float x : got.get(1)) {
            assertThat(Float.isFinite(x)).isTrue();
        }
        assertThat(encoder(512).encode(List.of())).isEmpty();
    }

    @Test
    void describesItself() {
        BertEncoder e = encoder(512);
        assertThat(e.id()).isEqualTo("tiny");
        assertThat(e.layers()).isEqualTo(2);
        assertThat(e.dim()).isEqualTo(32);
    }

    @Test
    void batchesJoinRowsOfNearEqualLengthsOnly() {
        List<int[]> rows = new java.util.ArrayList<>();
        for (int len : new int[] {10, 10, 10, 11, 20, 21, 60}) {
            rows.add(new int[len]);
        }
        Integer[] order = {0, 1, 2, 3, 4, 5, 6};
        // 10, 10, 10, 11: 44 cells for 41 pieces (7 % padding); adding 20 would pad 61 pieces to 100
        assertThat(BertEncoder.batchEnd(rows, order, 0)).isEqualTo(4);
        assertThat(BertEncoder.batchEnd(rows, order, 4)).isEqualTo(6);
        assertThat(BertEncoder.batchEnd(rows, order, 6)).isEqualTo(7);
        List<int[]> same = new java.util.ArrayList<>();
        Integer[] all = new Integer[40];
        for (int i = 0; i < all.length; i++) {
            same.add(new int[5]);
            all[i] = i;
        }
        assertThat(BertEncoder.batchEnd(same, all, 0)).isEqualTo(BertEncoder.BATCH_ROWS);
    }
}
