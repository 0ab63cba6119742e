package io.github.sparsestruct.inference.polytope;

import io.github.sparsestruct.inference.map.ViterbiDecoder;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;

/**
 * Tag sequences of length T over S tags (a linear chain), with the Viterbi oracle.
 *
 * <p>Layouts. Unary part u: T×S, {@code u[t*S + s]} = 1 when position t has tag s. Additional part v:
 * position-dependent transitions, {@code v[(t*S + a)*S + b]} = 1 when tag a at t is followed by tag b at t+1
 * (t &lt; T−1), then the start tag at offset (T−1)S² and the end tag at offset (T−1)S² + S. Scores follow the same
 * layouts: score(y) = Σ unary[t][y_t] + Σ trans[t][y_t][y_{t+1}] + start[y_0] + end[y_{T−1}]. A structure's
 * {@code code} is its T tags. Not thread-safe (owns a Viterbi workspace).
 */
public final class SequencePolytope implements StructuredPolytope {
    private final int length;
    private final int tags;
    private final ViterbiDecoder viterbi = new ViterbiDecoder();
    private final int[] out;
    /** Viterbi maxima V[t][s] of {@link #argmaxValidated}. */
    private final double[] vt;

    /** Sequences of {@code length} ≥ 1 positions over {@code tags} ≥ 1 tags. */
    public SequencePolytope(int length, int tags) {
        if (length < 1 || tags < 1) {
            throw new IllegalArgumentException("a sequence needs T >= 1 positions and S >= 1 tags, got T=" + length
                    + ", S=" + tags);
        }
        this.length = length;
        this.tags = tags;
        this.out = new int[length];
        this.vt = new double[length * tags];
    }

    /** Number of positions T. */
    public int length() {
        return length;
    }

    /** Number of tags S. */
    public int tags() {
        return tags;
    }

    /** Offset of the start scores in the additional part. */
    public int startOffset() {
        return (length - 1) * tags * tags;
    }

    /** Offset of the end scores in the additional part. */
    public int endOffset() {
        return startOffset() + tags;
    }

    @Override
    public int unaryDim() {
        return length * tags;
    }

    @Override
    public int extraDim() {
        return (length - 1) * tags * tags + 2 * tags;
    }

    /**
     * Packs chain scores into the additional-part layout.
     *
     * @param transition S×S (shared by all positions) or (T−1)×S×S, row-major; null for zeros
     * @param start      S start scores or null
     * @param end        S end scores or null
     */
    public double[] packExtra(double[] transition, double[] start, double[] end) {
        int s2 = tags * tags;
        double[] v = new double[extraDim()];
        if (transition != null) {
            if (transition.length == s2) {
                for (int t = 0; t + 1 < length; t++) {
                    System.arraycopy(transition, 0, v, t * s2, s2);
                }
            } else if (transition.length == (length - 1) * s2) {
                System.arraycopy(transition, 0, v, 0, transition.length);
            } else {
                throw new IllegalArgumentException("transition scores must have S*S=" + s2 + " or (T-1)*S*S="
                        + (length - 1) * s2 + " entries, got " + transition.length);
            }
        }
        if (start != null) {
            checkLength(start, "start");
            System.arraycopy(start, 0, v, startOffset(), tags);
        }
        if (end != null) {
            checkLength(end, "end");
            System.arraycopy(end, 0, v, endOffset(), tags);
        }
        return v;
    }

    private void checkLength(double[] x, String what) {
        if (x.length != tags) {
            throw new IllegalArgumentException(what + " scores must have S=" + tags + " entries, got " + x.length);
        }
    }

    /**
     * Folds chain scores (this polytope's layouts) into Vit_Ω potentials θ ∈ R^{T×S×S} (layout of
     * {@code ViterbiOmega}): θ[0][i][0] = unary[0][i] + start[i]; θ[t][i][j] = unary[t][i] + trans[t−1][j][i];
     * end[i] is added to θ[T−1][i][·]. Entries θ[0][i][j &gt; 0] are unused and set to −∞.
     */
    public double[] viterbiPotentials(double[] etaU, double[] etaV) {
        int S = tags;
        double[] theta = new double[length * S * S];
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < S; i++) {
                double end = t == length - 1 ? etaV[endOffset() + i] : 0.0;
                for (int j = 0; j < S; j++) {
                    double x;
                    if (t == 0) {
                        x = j == 0 ? etaU[i] + etaV[startOffset() + i] : Double.NEGATIVE_INFINITY;
                    } else {
                        x = etaU[t * S + i] + etaV[((t - 1) * S + j) * S + i];
                    }
                    theta[(t * S + i) * S + j] = x + end;
                }
            }
        }
        return theta;
    }

    /**
     * Maps a gradient with respect to Vit_Ω potentials (e.g. the expected path ∇Vit_Ω) back to this polytope's
     * unary and additional layouts: the adjoint of {@link #viterbiPotentials}.
     */
    public void fromViterbiGradient(double[] grad, double[] gradU, double[] gradV) {
        int S = tags;
        java.util.Arrays.fill(gradU, 0.0);
        java.util.Arrays.fill(gradV, 0.0);
        for (int t = 0; t < length; t++) {
            for (int i = 0; i < S; i++) {
                double rowSum = 0;
                for (int j = 0; j < S; j++) {
                    double e = grad[(t * S + i) * S + j];
                    if (t == 0) {
                        if (j == 0) {
                            gradV[startOffset() + i] += e;
                        }
                    } else {
                        gradV[((t - 1) * S + j) * S + i] += e;
                    }
                    rowSum += t == 0 && j > 0 ? 0.0 : e;
                }
                gradU[t * S + i] += rowSum;
                if (t == length - 1) {
                    gradV[endOffset() + i] += rowSum;
                }
            }
        }
    }

    /** The structure of a given tag sequence (validated). */
    public Structure structure(int[] tagSeq) {
        if (tagSeq.length != length) {
            throw new IllegalArgumentException("expected " + length + " tags, got " + tagSeq.length);
        }
        int[] u = new int[length];
        int[] v = new int[length + 1];
        for (int t = 0; t < length; t++) {
            int y = tagSeq[t];
            if (y < 0 || y >= tags) {
                throw new IllegalArgumentException("tag " + y + " at position " + t + " is outside 0.." + (tags - 1));
            }
            u[t] = t * tags + y;
            if (t + 1 < length) {
                v[t] = (t * tags + y) * tags + tagSeq[t + 1];
            }
        }
        v[length - 1] = startOffset() + tagSeq[0];
        v[length] = endOffset() + tagSeq[length - 1];
        return new Structure(tagSeq.clone(), u, v);
    }

    /**
     * The Viterbi oracle without the decoder's input checks (the solvers validate the scores once per solve), on
     * this polytope's layout directly. The forward pass keeps only the maxima V[t][b] (branch-free running maxima
     * pushed over contiguous transition rows, no back pointers); the backtrack recomputes, for the chosen tag only,
     * the same sums and takes the first previous tag that attains the maximum (a max is exact, so it is the same
     * value in any order). Same tags as {@link #argmax} (ties to the smallest tag).
     *
     * <p>The caller must have validated the scores (lengths {@link #unaryDim()} and {@link #extraDim()}, every entry
     * finite or −∞): nothing is checked here, and NaN or +∞ give an undefined result. Meant for the SparseMAP
     * solvers only; use {@link #argmax} otherwise.
     */
    @Override
    public Structure argmaxValidated(double[] etaU, double[] etaV) {
        final int S = tags;
        final double[] vt = this.vt;
        int so = startOffset();
        for (int s = 0; s < S; s++) {
            vt[s] = etaU[s] + etaV[so + s];
        }
        for (int t = 1; t < length; t++) {
            int toff = (t - 1) * S * S;
            int prev = (t - 1) * S;
            int boff = t * S;
            // pushed from each previous tag over a contiguous transition row: S independent running maxima
            double p0 = vt[prev];
            for (int b = 0; b < S; b++) {
                vt[boff + b] = p0 + etaV[toff + b];
            }
            for (int a = 1; a < S; a++) {
                double pa = vt[prev + a];
                int row = toff + a * S;
                for (int b = 0; b < S; b++) {
                    vt[boff + b] = Math.max(vt[boff + b], pa + etaV[row + b]);
                }
            }
            for (int b = 0; b < S; b++) {
                vt[boff + b] += etaU[boff + b];
            }
        }
        int eo = endOffset();
        int last = (length - 1) * S;
        int bestTag = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < S; s++) {
            double v = vt[last + s] + etaV[eo + s];
            if (v > best) {
                best = v;
                bestTag = s;
            }
        }
        if (bestTag < 0) {
            return null;
        }
        int[] y = new int[length];
        y[length - 1] = bestTag;
        for (int t = length - 1; t > 0; t--) {
            int toff = (t - 1) * S * S;
            int prev = (t - 1) * S;
            int col = toff + y[t];
            double m = vt[prev] + etaV[col];
            for (int a = 1; a < S; a++) {
                m = Math.max(m, vt[prev + a] + etaV[col + a * S]);
            }
            int arg = 0;
            while (vt[prev + arg] + etaV[col + arg * S] != m) {
                arg++;
            }
            y[t - 1] = arg;
        }
        return structure(y);
    }

    /** The number of positions where the two tag sequences agree (their codes). */
    @Override
    public int unaryOverlap(Structure a, Structure b) {
        int[] x = a.code();
        int[] y = b.code();
        if (x.length != length || y.length != length) {
            return a.unaryOverlap(b);
        }
        int n = 0;
        for (int t = 0; t < length; t++) {
            n += x[t] == y[t] ? 1 : 0;
        }
        return n;
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        double best = decode(etaU, etaV, out);
        if (best == Double.NEGATIVE_INFINITY) {
            return null;
        }
        return structure(out);
    }

    /**
     * Viterbi: the best score, and a best tag sequence written into {@code tagSeq}.
     *
     * @param tagSeq length {@link #length()}; undefined when the result is -∞ (every sequence is forbidden)
     */
    public double decode(double[] etaU, double[] etaV, int[] tagSeq) {
        // the transition block is the prefix of etaV, in the decoder's position-dependent layout
        return viterbi.decode(length, tags, etaU, etaV, true, startScores(etaV), endScores(etaV), null, tagSeq);
    }

    private double[] startBuf;
    private double[] endBuf;

    private double[] startScores(double[] etaV) {
        if (startBuf == null) {
            startBuf = new double[tags];
        }
        System.arraycopy(etaV, startOffset(), startBuf, 0, tags);
        return startBuf;
    }

    private double[] endScores(double[] etaV) {
        if (endBuf == null) {
            endBuf = new double[tags];
        }
        System.arraycopy(etaV, endOffset(), endBuf, 0, tags);
        return endBuf;
    }
}
