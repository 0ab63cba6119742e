package io.github.sparsestruct.models.align;

import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Arrays;

/**
 * Partial one-to-one matchings between m source and n target words, where a word may stay unaligned ("null"):
 * the structures of the matching decoder.
 *
 * <p>Layout. Unary part u (what SparseMAP regularises), length m·n + m + n: {@code u[i·n + j]} = 1 when source i is
 * linked to target j, {@code u[m·n + i]} = 1 when source i is unaligned, {@code u[m·n + m + j]} = 1 when target j is
 * unaligned. No additional part. score(M) = Σ_{(i,j)∈M} θ_ij + Σ_{i free} ν_i + Σ_{j free} ν'_j. The null
 * indicators are a function of the links, so distinct matchings are distinct vertices, and the null marginals are
 * 1 − (the word's link marginals).
 *
 * <p>Oracle. With θ'_ij = θ_ij − ν_i − ν'_j, score(M) = Σν + Σν' + Σ_{(i,j)∈M} θ'_ij, so the best partial matching is
 * the best full rectangular assignment (min(m, n) pairs, {@link LinearAssignment}) of max(θ'_ij, 0) with its pairs of
 * θ' ≤ 0 dropped: every partial matching extends to a full one whose clipped score is at least as high, and dropping
 * the non-positive pairs of a full one gives a partial matching of the same clipped score. This is the same optimum
 * as the classic (m+n)×(m+n) assignment padded with null rows and columns (null–null cells 0), on an m×n problem.
 * Null scores must be finite. A structure's {@code code} holds each source word's target or −1. Not thread-safe.
 */
public final class NullMatchingPolytope implements StructuredPolytope {
    private final int m;
    private final int n;
    private final int[] rowToCol;
    private final double[] reduced;
    private final LinearAssignment assignment = new LinearAssignment();

    /** Partial matchings between m ≥ 1 source and n ≥ 1 target words. */
    public NullMatchingPolytope(int m, int n) {
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("a matching needs m >= 1 and n >= 1 words, got " + m + "x" + n);
        }
        this.m = m;
        this.n = n;
        this.rowToCol = new int[m];
        this.reduced = new double[m * n];
    }

    /** Number of source words. */
    public int rows() {
        return m;
    }

    /** Number of target words. */
    public int cols() {
        return n;
    }

    @Override
    public int unaryDim() {
        return m * n + m + n;
    }

    @Override
    public int extraDim() {
        return 0;
    }

    @Override
    public boolean constantSize() {
        return false;
    }

    /** Packs pair scores θ (m·n), source null scores ν (m) and target null scores ν' (n) into the unary layout. */
    public double[] pack(double[] pairs, double[] nullSource, double[] nullTarget) {
        double[] eta = new double[unaryDim()];
        System.arraycopy(pairs, 0, eta, 0, m * n);
        System.arraycopy(nullSource, 0, eta, m * n, m);
        System.arraycopy(nullTarget, 0, eta, m * n + m, n);
        return eta;
    }

    /**
     * The structure of a partial matching given by each source word's target (−1: unaligned).
     *
     * @throws IllegalArgumentException when a target is out of range or used twice
     */
    public Structure structure(int[] colOfRow) {
        if (colOfRow.length != m) {
            throw new IllegalArgumentException("expected " + m + " entries, got " + colOfRow.length);
        }
        boolean[] used = new boolean[n];
        int links = 0;
        for (int i = 0; i < m; i++) {
            int j = colOfRow[i];
            if (j >= n || j < -1) {
                throw new IllegalArgumentException("target " + j + " of source " + i + " is outside -1.." + (n - 1));
            }
            if (j >= 0) {
                if (used[j]) {
                    throw new IllegalArgumentException("target " + j + " is matched twice");
                }
                used[j] = true;
                links++;
            }
        }
        int[] u = new int[links + (m - links) + (n - links)];
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (colOfRow[i] >= 0) {
                u[k++] = i * n + colOfRow[i];
            }
        }
        for (int i = 0; i < m; i++) {
            if (colOfRow[i] < 0) {
                u[k++] = m * n + i;
            }
        }
        for (int j = 0; j < n; j++) {
            if (!used[j]) {
                u[k++] = m * n + m + j;
            }
        }
        return new Structure(colOfRow.clone(), u, new int[0]);
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        for (int i = 0; i < m; i++) {
            double ni = etaU[m * n + i];
            for (int j = 0; j < n; j++) {
                double r = etaU[i * n + j] - ni - etaU[m * n + m + j];
                reduced[i * n + j] = r > 0 ? r : 0.0;
            }
        }
        assignment.maximize(m, n, reduced, rowToCol, false);
        int[] code = new int[m];
        Arrays.fill(code, -1);
        for (int i = 0; i < m; i++) {
            int j = rowToCol[i];
            if (j >= 0 && reduced[i * n + j] > 0) {
                code[i] = j;
            }
        }
        return structure(code);
    }
}
