package io.github.sparsestruct.inference.polytope;

import io.github.sparsestruct.inference.map.Eisner;
import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Arrays;

/**
 * Dependency trees over n words (non-projective with the maximum-arborescence oracle, or projective with Eisner's),
 * optionally with a single root word.
 *
 * <p>Layout. Unary part u: (n+1)×(n+1), {@code u[h*(n+1) + m]} = 1 when word m (1..n) has head h (0 = root);
 * column 0 and the diagonal are never used. No additional part. A structure's {@code code} holds the n heads,
 * {@code code[m−1]} being the head of word m. Not thread-safe (owns an oracle workspace).
 */
public final class TreePolytope implements StructuredPolytope {
    private final int words;
    private final boolean projective;
    private final boolean singleRoot;
    private final int[] heads;
    private final MaxArborescence arborescence = new MaxArborescence();

    /**
     * @param words      number of words n ≥ 1
     * @param projective restrict to projective trees (Eisner) instead of all trees (maximum arborescence)
     * @param singleRoot exactly one word hangs from the root
     */
    public TreePolytope(int words, boolean projective, boolean singleRoot) {
        if (words < 1) {
            throw new IllegalArgumentException("a tree needs n >= 1 words, got " + words);
        }
        this.words = words;
        this.projective = projective;
        this.singleRoot = singleRoot;
        this.heads = new int[words + 1];
    }

    /** Number of words n. */
    public int words() {
        return words;
    }

    /** Whether only projective trees are considered. */
    public boolean projective() {
        return projective;
    }

    /** Whether exactly one word hangs from the root. */
    public boolean singleRoot() {
        return singleRoot;
    }

    @Override
    public int unaryDim() {
        return (words + 1) * (words + 1);
    }

    @Override
    public int extraDim() {
        return 0;
    }

    /** The structure of the tree given by {@code headOf[m−1]} = head of word m (not checked to be a tree). */
    public Structure structure(int[] headOf) {
        if (headOf.length != words) {
            throw new IllegalArgumentException("expected " + words + " heads, got " + headOf.length);
        }
        // u sorted by head, then word: a counting sort on the heads
        int[] start = new int[words + 2];
        for (int m = 1; m <= words; m++) {
            int h = headOf[m - 1];
            if (h < 0 || h > words || h == m) {
                throw new IllegalArgumentException("head " + h + " of word " + m + " is not valid");
            }
            start[h + 1]++;
        }
        for (int h = 0; h <= words; h++) {
            start[h + 1] += start[h];
        }
        int[] u = new int[words];
        for (int m = 1; m <= words; m++) {
            int h = headOf[m - 1];
            u[start[h]++] = h * (words + 1) + m;
        }
        return new Structure(headOf.clone(), u, new int[0]);
    }

    /**
     * {@link #argmax} without the oracle's per-call score checks (the solvers validate the scores once). The caller
     * must have validated the scores (length (n+1)², every entry finite or −∞): NaN or +∞ give an undefined result.
     * Meant for the SparseMAP solvers only; use {@link #argmax} otherwise.
     */
    @Override
    public Structure argmaxValidated(double[] etaU, double[] etaV) {
        if (projective) {
            return argmax(etaU, etaV);
        }
        double best = arborescence.maximizeValidated(words, etaU, singleRoot, heads);
        if (best == Double.NEGATIVE_INFINITY) {
            return null;
        }
        return structure(Arrays.copyOfRange(heads, 1, words + 1));
    }

    /** The number of words with the same head in both trees (their codes). */
    @Override
    public int unaryOverlap(Structure a, Structure b) {
        int[] x = a.code();
        int[] y = b.code();
        if (x.length != words || y.length != words) {
            return a.unaryOverlap(b);
        }
        int n = 0;
        for (int m = 0; m < words; m++) {
            n += x[m] == y[m] ? 1 : 0;
        }
        return n;
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        double best = projective
                ? Eisner.decode(words, etaU, singleRoot, heads)
                : MaxArborescence.decode(words, etaU, singleRoot, heads);
        if (best == Double.NEGATIVE_INFINITY) {
            return null;
        }
        return structure(Arrays.copyOfRange(heads, 1, words + 1));
    }
}
