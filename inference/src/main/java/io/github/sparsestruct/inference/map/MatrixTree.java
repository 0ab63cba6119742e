package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Log-partition function and arc marginals of non-projective dependency trees by the matrix-tree theorem (Koo et
 * al. 2007; Smith and Smith 2007), O(n³).
 *
 * <p>Nodes are the root 0 and words 1..n; {@code arcs[h·(n+1) + m]} scores head h for word m (column 0 and the
 * diagonal are ignored; -∞ gives weight 0; NaN and +∞ are rejected). With temperature γ the weight of a tree is
 * exp(score/γ) and the result is γ·log Σ_trees exp(score(tree)/γ). Each column is shifted by its maximum before
 * exponentiation (every word has exactly one head, so the shifts add up to a constant), the determinant of the
 * Laplacian comes from an LU factorisation with partial pivoting, and the marginals from its inverse:
 * p(h→m) = w(h,m)·∂log det L/∂w(h,m). Single root uses Koo et al.'s Laplacian whose first row holds the root
 * weights. Whether any tree exists is decided combinatorially on the finite arcs, so an empty tree set gives exactly
 * -∞ (and all-zero marginals) rather than a rounding-noise determinant.
 *
 * <p>Accuracy: the Laplacian's diagonal sums the weights of all heads of a word, so the LU factorisation cancels
 * when near-deterministic cycles of word-to-word arcs dominate weak root arcs; the relative error then grows like
 * 1e-16·exp(gap/γ) for a score gap of that size. With scores spread over a few units and γ ≥ 0.5 results agree
 * with enumeration to about 1e-10; for very confident scores at small γ use a larger γ (or {@link InsideOutside}
 * for projective trees, which works in log space). Arcs more than about 700·γ below the best head of their word
 * underflow to weight 0.
 *
 * <p>Keeps a reusable workspace: not thread-safe, use one instance per thread.
 */
public final class MatrixTree {
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<MatrixTree> LOCAL = ThreadLocal.withInitial(MatrixTree::new);

    private int cap;
    private double[] weights = new double[0];
    private double[] lu = new double[0];
    private double[] inv = new double[0];
    private int[] perm = new int[0];
    private boolean[] seen = new boolean[0];
    private int[] queue = new int[0];

    /** Creates a solver with an empty workspace that grows on demand. */
    public MatrixTree() {
    }

    /**
     * Smoothed log-partition and marginals, using a cached solver of the calling thread.
     *
     * @see #compute(int, double[], boolean, double, double[])
     */
    public static double logPartition(int n, double[] arcs, boolean singleRoot, double gamma,
            double[] marginalsOut) {
        return LOCAL.get().compute(n, arcs, singleRoot, gamma, marginalsOut);
    }

    /**
     * γ·log Σ_trees exp(score(tree)/γ) over all (single-rooted when asked) non-projective trees.
     *
     * @param n            number of words, at least 1
     * @param arcs         (n+1)² arc scores, {@code arcs[h·(n+1) + m]}
     * @param singleRoot   whether exactly one word must hang from the root
     * @param gamma        temperature, finite and positive
     * @param marginalsOut null, or length ≥ (n+1)²: receives p(h→m) at [h·(n+1) + m], with column 0 and the diagonal
     *                     0 (all 0 when no tree exists)
     * @return the smoothed log-partition, or -∞ when no tree avoids forbidden arcs
     * @throws IllegalArgumentException on bad sizes, bad gamma, or NaN / +∞ arc scores
     */
    public double compute(int n, double[] arcs, boolean singleRoot, double gamma, double[] marginalsOut) {
        Checks.atLeast("n", n, 1);
        Checks.gamma(gamma);
        final int nn = n + 1;
        Checks.length("arcs", arcs, nn * nn);
        if (marginalsOut != null) {
            Checks.length("marginalsOut", marginalsOut, nn * nn);
        }
        for (int h = 0; h < nn; h++) {
            for (int m = 1; m < nn; m++) {
                if (h != m) {
                    Checks.scores("arcs", arcs, h * nn + m, 1);
                }
            }
        }
        ensure(nn);
        if (marginalsOut != null) {
            Arrays.fill(marginalsOut, 0, nn * nn, 0);
        }
        if (!(singleRoot ? singleRootTreeExists(n, arcs) : treeExists(n, arcs))) {
            return NEG;
        }
        double shiftSum = 0;
        for (int m = 1; m < nn; m++) {
            double c = NEG;
            for (int h = 0; h < nn; h++) {
                if (h != m && arcs[h * nn + m] > c) {
                    c = arcs[h * nn + m];
                }
            }
            shiftSum += c;
            for (int h = 0; h < nn; h++) {
                weights[h * nn + m] = h == m ? 0 : Math.exp((arcs[h * nn + m] - c) / gamma);
            }
        }
        // Laplacian over words: index i = word i+1.
        for (int i = 0; i < n; i++) {
            int m = i + 1;
            double diag = 0;
            for (int h = singleRoot ? 1 : 0; h < nn; h++) {
                if (h != m) {
                    diag += weights[h * nn + m];
                }
            }
            for (int k = 0; k < n; k++) {
                lu[k * n + i] = k == i ? diag : -weights[(k + 1) * nn + m];
            }
            if (singleRoot) {
                lu[i] = weights[m];
            }
        }
        double logDet = factor(n);
        if (logDet == NEG) {
            return NEG;
        }
        double result = gamma * logDet + shiftSum;
        if (marginalsOut != null) {
            invert(n);
            for (int m = 1; m < nn; m++) {
                int i = m - 1;
                double rootDeriv = singleRoot ? inv[i * n] : inv[i * n + i];
                marginalsOut[m] = weights[m] * rootDeriv;
                double diagDeriv = singleRoot && i == 0 ? 0 : inv[i * n + i];
                for (int h = 1; h < nn; h++) {
                    if (h == m) {
                        continue;
                    }
                    int k = h - 1;
                    double offDeriv = singleRoot && k == 0 ? 0 : inv[i * n + k];
                    marginalsOut[h * nn + m] = weights[h * nn + m] * (diagDeriv - offDeriv);
                }
            }
        }
        return result;
    }

    /** In-place LU with partial pivoting of the n×n matrix in {@code lu}; returns log|det|, or -∞ if singular. */
    private double factor(int n) {
        double logDet = 0;
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            double best = Math.abs(lu[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double a = Math.abs(lu[r * n + col]);
                if (a > best) {
                    best = a;
                    piv = r;
                }
            }
            if (best == 0) {
                return NEG;
            }
            if (piv != col) {
                for (int c = 0; c < n; c++) {
                    double tmp = lu[col * n + c];
                    lu[col * n + c] = lu[piv * n + c];
                    lu[piv * n + c] = tmp;
                }
                int tp = perm[col];
                perm[col] = perm[piv];
                perm[piv] = tp;
            }
            double d = lu[col * n + col];
            logDet += Math.log(Math.abs(d));
            for (int r = col + 1; r < n; r++) {
                double f = lu[r * n + col] / d;
                lu[r * n + col] = f;
                if (f != 0) {
                    for (int c = col + 1; c < n; c++) {
                        lu[r * n + c] -= f * lu[col * n + c];
                    }
                }
            }
        }
        return logDet;
    }

    /** Inverse of the factored matrix into {@code inv} (row-major), one column at a time. */
    private void invert(int n) {
        for (int j = 0; j < n; j++) {
            // Solve L·U·x = P·e_j; x is stored in column j of inv.
            for (int i = 0; i < n; i++) {
                double s = perm[i] == j ? 1 : 0;
                for (int c = 0; c < i; c++) {
                    s -= lu[i * n + c] * inv[c * n + j];
                }
                inv[i * n + j] = s;
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = inv[i * n + j];
                for (int c = i + 1; c < n; c++) {
                    s -= lu[i * n + c] * inv[c * n + j];
                }
                inv[i * n + j] = s / lu[i * n + i];
            }
        }
    }

    /** Whether every word is reachable from the root through finite arcs. */
    private boolean treeExists(int n, double[] arcs) {
        return reachCount(0, n, arcs, true) == n + 1;
    }

    /** Whether some word with a finite root arc reaches every other word through finite word-to-word arcs. */
    private boolean singleRootTreeExists(int n, double[] arcs) {
        int nn = n + 1;
        // The root of the last traversal started is the only candidate able to reach every word.
        Arrays.fill(seen, 0, nn, false);
        int candidate = -1;
        for (int v = 1; v < nn; v++) {
            if (!seen[v]) {
                candidate = v;
                traverse(v, n, arcs, true);
            }
        }
        if (reachCount(candidate, n, arcs, true) != n) {
            return false;
        }
        // Words that reach the candidate reach everything; one of them needs a finite root arc.
        reachCount(candidate, n, arcs, false);
        for (int v = 1; v < nn; v++) {
            if (seen[v] && arcs[v] != NEG) {
                return true;
            }
        }
        return false;
    }

    /** Clears marks, traverses from {@code start} (forward or backward over finite arcs) and counts marked nodes. */
    private int reachCount(int start, int n, double[] arcs, boolean forward) {
        Arrays.fill(seen, 0, n + 1, false);
        return traverse(start, n, arcs, forward);
    }

    /** Breadth-first search over finite arcs into words from {@code start}, skipping marked nodes; counts new marks. */
    private int traverse(int start, int n, double[] arcs, boolean forward) {
        int nn = n + 1;
        int head = 0;
        int tail = 0;
        queue[tail++] = start;
        seen[start] = true;
        int count = 1;
        while (head < tail) {
            int x = queue[head++];
            for (int y = 1; y < nn; y++) {
                if (seen[y] || y == x) {
                    continue;
                }
                double a = forward ? arcs[x * nn + y] : arcs[y * nn + x];
                if (a != NEG) {
                    seen[y] = true;
                    queue[tail++] = y;
                    count++;
                }
            }
        }
        return count;
    }

    private void ensure(int nn) {
        if (cap >= nn) {
            return;
        }
        cap = nn;
        int n = nn - 1;
        weights = new double[nn * nn];
        lu = new double[n * n];
        inv = new double[n * n];
        perm = new int[n];
        seen = new boolean[nn];
        queue = new int[nn];
    }
}
