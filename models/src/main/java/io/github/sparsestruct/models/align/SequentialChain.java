package io.github.sparsestruct.models.align;

import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.sparsemap.Structure;

/**
 * The sequential alignment decoder's chain: each of the m source words picks a tag in {0..n−1} (the target position
 * it links to) or n (null), a {@link SequencePolytope} of length m over n + 1 tags.
 *
 * <p>Scores. Unary: tag j of word i scores θ_ij, the null tag scores the source null score ν_i. Transitions from tag a
 * (word i) to tag b (word i + 1) take one of {@value #TRANS} learned scores by a distance bin: both real, d = b − a
 * in {≤−2, −1, 0, 1, ≥2} (bins 0–4); real → null (5); null → real (6); null → null (7). Start (first word) bins:
 * target position 1 (j = 0), position ≥ 2, null. End (last word) bins: j − n = −1 (the last target word), ≤ −2,
 * null. Target null scores are not used (a target word no source word picks is simply unaligned), and a target word
 * may be picked by several source words (many-to-one).
 */
public final class SequentialChain {
    /** Number of transition scores. */
    public static final int TRANS = 8;
    /** Number of start scores. */
    public static final int START = 3;
    /** Number of end scores. */
    public static final int END = 3;

    private final int m;
    private final int n;
    private final SequencePolytope poly;

    /** The chain of a pair of m ≥ 1 source and n ≥ 1 target words. */
    public SequentialChain(int m, int n) {
        this.m = m;
        this.n = n;
        this.poly = new SequencePolytope(m, n + 1);
    }

    /** The polytope (tags 0..n−1 targets, n null). */
    public SequencePolytope polytope() {
        return poly;
    }

    /** Size of the chain's potentials: m·(n+1)² (what decoding time and memory grow with). */
    public static long size(int m, int n) {
        return (long) m * (n + 1) * (n + 1);
    }

    /** The transition bin of tag a followed by tag b (tags 0..n−1 real, n null). */
    public static int transBin(int a, int b, int n) {
        if (a == n) {
            return b == n ? 7 : 6;
        }
        if (b == n) {
            return 5;
        }
        int d = b - a;
        return d <= -2 ? 0 : d >= 2 ? 4 : d + 2;
    }

    /** The start bin of tag j. */
    public static int startBin(int j, int n) {
        return j == n ? 2 : j == 0 ? 0 : 1;
    }

    /** The end bin of tag j. */
    public static int endBin(int j, int n) {
        return j == n ? 2 : j == n - 1 ? 0 : 1;
    }

    /** Unary scores (m·(n+1)) from pair scores θ (m·n, row-major) and source null scores ν (m). */
    public double[] unary(double[] pairs, double[] nullSource) {
        int s = n + 1;
        double[] u = new double[m * s];
        for (int i = 0; i < m; i++) {
            System.arraycopy(pairs, i * n, u, i * s, n);
            u[i * s + n] = nullSource[i];
        }
        return u;
    }

    /** Additional scores (transitions, start, end) in the polytope's layout from the binned scores. */
    public double[] extra(double[] trans, double[] start, double[] end) {
        int s = n + 1;
        double[] t = new double[s * s];
        for (int a = 0; a < s; a++) {
            for (int b = 0; b < s; b++) {
                t[a * s + b] = trans[transBin(a, b, n)];
            }
        }
        double[] st = new double[s];
        double[] en = new double[s];
        for (int j = 0; j < s; j++) {
            st[j] = start[startBin(j, n)];
            en[j] = end[endBin(j, n)];
        }
        return poly.packExtra(t, st, en);
    }

    /**
     * Folds gradients with respect to the polytope's scores back: pair and source-null gradients into
     * {@code gPairs} / {@code gNull} (added), binned gradients added into gTrans / gStart / gEnd.
     */
    public void foldGradients(double[] gu, double[] gv, double[] gPairs, double[] gNull, double[] gTrans,
                              double[] gStart, double[] gEnd) {
        int s = n + 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                gPairs[i * n + j] += gu[i * s + j];
            }
            gNull[i] += gu[i * s + n];
        }
        if (gTrans == null) {
            return;
        }
        for (int t = 0; t + 1 < m; t++) {
            int base = t * s * s;
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    double g = gv[base + a * s + b];
                    if (g != 0) {
                        gTrans[transBin(a, b, n)] += g;
                    }
                }
            }
        }
        for (int j = 0; j < s; j++) {
            gStart[startBin(j, n)] += gv[poly.startOffset() + j];
            gEnd[endBin(j, n)] += gv[poly.endOffset() + j];
        }
    }

    /** The structure of a tag sequence (each source word's target, or −1 / n for null). */
    public Structure structure(int[] targets) {
        int[] tags = new int[m];
        for (int i = 0; i < m; i++) {
            tags[i] = targets[i] < 0 ? n : targets[i];
        }
        return poly.structure(tags);
    }

    /** Each source word's target (−1 for null) from a structure's tags. */
    public int[] targets(int[] tags) {
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = tags[i] == n ? -1 : tags[i];
        }
        return out;
    }
}
