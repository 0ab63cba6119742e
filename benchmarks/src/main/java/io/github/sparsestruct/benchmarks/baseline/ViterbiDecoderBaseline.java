package io.github.sparsestruct.benchmarks.baseline;

import java.util.Arrays;

/*
 * Pre-optimisation version of {@code ViterbiDecoder} (issue 27), copied unchanged apart from names and package so that the
 * benchmarks measure new/old ratios in one run. Do not optimise it.
 */
/**
 * Hard Viterbi decoding (max-product with backtracking) of a first-order chain with T positions and S tags, in
 * O(T·S²) time. Scores are additive:
 * score(y) = Σ_t unary[t·S + y_t] + Σ_t trans[t][y_t][y_{t+1}] + start[y_0] + end[y_{T-1}], where
 * {@code trans[t][a][b] = trans[(t·S + a)·S + b]} when position-dependent and {@code trans[a·S + b]} otherwise.
 * -∞ forbids a part; NaN and +∞ are rejected. Ties go to the smallest tag index at each step (deterministic).
 *
 * <p>Keeps a reusable workspace: not thread-safe, use one instance per thread.
 */
public final class ViterbiDecoderBaseline {
    private static final double NEG = Double.NEGATIVE_INFINITY;

    private double[] prev = new double[0];
    private double[] cur = new double[0];
    private int[] back = new int[0];

    /** Creates a decoder with an empty workspace that grows on demand. */
    public ViterbiDecoderBaseline() {
    }

    /**
     * Finds a highest-scoring tag sequence.
     *
     * @param T                 sequence length, at least 1
     * @param S                 number of tags, at least 1
     * @param unary             T·S scores, {@code unary[t·S + s]}
     * @param trans             S·S shared or (T-1)·S·S position-dependent transition scores; null means all 0
     * @param positionDependent whether {@code trans} has one S×S block per adjacent pair of positions
     * @param start             S scores for the first tag, or null
     * @param end               S scores for the last tag, or null
     * @param allowed           S·S mask: {@code allowed[a·S + b]} false forbids tag b right after a; null allows all
     * @param tagsOut           receives the T tags (all -1 when no sequence is feasible)
     * @return the score of the decoded sequence, or -∞ when every sequence is forbidden
     * @throws IllegalArgumentException on bad sizes, or NaN / +∞ scores
     */
    public double decode(int T, int S, double[] unary, double[] trans, boolean positionDependent, double[] start,
            double[] end, boolean[] allowed, int[] tagsOut) {
        BaselineChecks.atLeast("T", T, 1);
        BaselineChecks.atLeast("S", S, 1);
        BaselineChecks.length("unary", unary, T * S);
        BaselineChecks.scores("unary", unary, 0, T * S);
        int transLen = positionDependent ? (T - 1) * S * S : S * S;
        if (trans != null) {
            BaselineChecks.length("trans", trans, transLen);
            BaselineChecks.scores("trans", trans, 0, transLen);
        }
        if (start != null) {
            BaselineChecks.length("start", start, S);
            BaselineChecks.scores("start", start, 0, S);
        }
        if (end != null) {
            BaselineChecks.length("end", end, S);
            BaselineChecks.scores("end", end, 0, S);
        }
        if (allowed != null) {
            BaselineChecks.length("allowed", allowed, S * S);
        }
        BaselineChecks.length("tagsOut", tagsOut, T);
        ensure(T, S);
        double[] p = prev;
        double[] c = cur;
        for (int s = 0; s < S; s++) {
            p[s] = unary[s] + (start == null ? 0 : start[s]);
        }
        for (int t = 1; t < T; t++) {
            int toff = trans == null ? -1 : positionDependent ? (t - 1) * S * S : 0;
            int boff = t * S;
            Arrays.fill(c, 0, S, NEG);
            Arrays.fill(back, boff, boff + S, -1);
            for (int a = 0; a < S; a++) {
                double pa = p[a];
                if (pa == NEG) {
                    continue;
                }
                int row = a * S;
                for (int b = 0; b < S; b++) {
                    if (allowed != null && !allowed[row + b]) {
                        continue;
                    }
                    double v = toff < 0 ? pa : pa + trans[toff + row + b];
                    if (v > c[b]) {
                        c[b] = v;
                        back[boff + b] = a;
                    }
                }
            }
            for (int b = 0; b < S; b++) {
                c[b] += unary[boff + b];
            }
            double[] tmp = p;
            p = c;
            c = tmp;
        }
        int bestTag = -1;
        double best = NEG;
        for (int s = 0; s < S; s++) {
            double v = p[s] + (end == null ? 0 : end[s]);
            if (v > best) {
                best = v;
                bestTag = s;
            }
        }
        if (bestTag < 0) {
            Arrays.fill(tagsOut, 0, T, -1);
            return NEG;
        }
        tagsOut[T - 1] = bestTag;
        for (int t = T - 1; t > 0; t--) {
            tagsOut[t - 1] = back[t * S + tagsOut[t]];
        }
        return score(T, S, unary, trans, positionDependent, start, end, tagsOut);
    }

    /** Score of a given sequence, summed in position order (mask not consulted). */
    private static double score(int T, int S, double[] unary, double[] trans, boolean positionDependent,
            double[] start, double[] end, int[] tags) {
        double s = start == null ? 0 : start[tags[0]];
        for (int t = 0; t < T; t++) {
            s += unary[t * S + tags[t]];
            if (t + 1 < T && trans != null) {
                int toff = positionDependent ? t * S * S : 0;
                s += trans[toff + tags[t] * S + tags[t + 1]];
            }
        }
        if (end != null) {
            s += end[tags[T - 1]];
        }
        return s;
    }

    private void ensure(int T, int S) {
        if (prev.length < S) {
            prev = new double[S];
            cur = new double[S];
        }
        if (back.length < T * S) {
            back = new int[T * S];
        }
    }
}
