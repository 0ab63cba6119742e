package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Log-partition function and arc marginals of non-projective dependency trees by the matrix-tree theorem (Koo et
 * al. 2007; Smith and Smith 2007), O(n³).
 *
 * <p>Nodes are the root 0 and words 1..n; {@code arcs[h·(n+1) + m]} scores head h for word m (column 0 and the
 * diagonal are ignored; -∞ gives weight 0; NaN and +∞ are rejected). With temperature γ the weight of a tree is
 * exp(score/γ) and the result is γ·log Σ_trees exp(score(tree)/γ), with arc marginals p(h→m) = w(h,m)·∂log Z/∂w(h,m).
 *
 * <p>Numerics: each column is shifted by its maximum before exponentiation (every word has exactly one head, so the
 * shifts add up to a constant). The determinant of the Laplacian is then taken by Gaussian elimination in the
 * subtraction-free form of Grassmann, Taksar and Heyman: the Laplacian is kept as non-negative arc weights, each
 * pivot is recomputed as the sum of the remaining weights entering its node, and every update adds non-negative
 * terms, so log Z keeps full relative accuracy even when near-deterministic cycles dominate weak root arcs (where an
 * LU factorisation of the explicit Laplacian cancels catastrophically). Multi-root: the root is eliminated last and
 * Z is the product of the pivots. Single root: a word r* that reaches every word is eliminated last, the
 * back-substituted null vector x of the word Laplacian gives x_r = C_rr / C_r*r* (diagonal cofactors, i.e. trees of
 * the words rooted at r), and Z = C_r*r*·Σ_r w(0,r)·x_r, which equals Koo et al.'s determinant with the root row
 * replaced. Marginals come from reverse-mode differentiation of these steps, O(n³). Whether any tree exists is
 * decided combinatorially on the finite arcs, so an empty tree set gives exactly -∞ (and all-zero marginals).
 *
 * <p>Limitation: arcs more than about 700·γ below the best head of their word underflow to weight 0.
 *
 * <p>Keeps a reusable workspace: not thread-safe, use one instance per thread.
 */
public final class MatrixTree {
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<MatrixTree> LOCAL = ThreadLocal.withInitial(MatrixTree::new);

    private int cap;
    /** Original node (0 = root) of each elimination index; the last index is eliminated last (never pivots). */
    private int[] ids = new int[0];
    /** Shifted arc weights between elimination indices, K×K, before elimination. */
    private double[] w0 = new double[0];
    /** Working weights, overwritten by the elimination (row p and column p keep their step-p values). */
    private double[] w = new double[0];
    /** Adjoints ∂log Z/∂(working weight). */
    private double[] g = new double[0];
    /** Adjoints of the multipliers w[p][j]/pivot[p] coming from the back-substitution (single root). */
    private double[] gt = new double[0];
    private double[] pivot = new double[0];
    private double[] rootW = new double[0];
    private double[] x = new double[0];
    private double[] gx = new double[0];
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
        int last;
        if (singleRoot) {
            last = singleRootCandidate(n, arcs);
            if (last < 0) {
                return NEG;
            }
        } else {
            if (!treeExists(n, arcs)) {
                return NEG;
            }
            last = 0;
        }
        // Elimination order: the words in index order, then `last` (the root, or the single-root candidate r*).
        int k = singleRoot ? n : nn;
        int pos = 0;
        for (int v = singleRoot ? 1 : 0; v < nn; v++) {
            if (v != last) {
                ids[pos++] = v;
            }
        }
        ids[pos] = last;
        double shiftSum = 0;
        for (int b = 0; b < k; b++) {
            int m = ids[b];
            if (m == 0) {
                for (int a = 0; a < k; a++) {
                    w0[a * k + b] = 0;
                }
                continue;
            }
            double c = NEG;
            for (int h = 0; h < nn; h++) {
                if (h != m && arcs[h * nn + m] > c) {
                    c = arcs[h * nn + m];
                }
            }
            shiftSum += c;
            for (int a = 0; a < k; a++) {
                w0[a * k + b] = a == b ? 0 : Math.exp((arcs[ids[a] * nn + m] - c) / gamma);
            }
            rootW[b] = Math.exp((arcs[m] - c) / gamma);
        }
        System.arraycopy(w0, 0, w, 0, k * k);
        double logZ = eliminate(k);
        if (logZ == NEG) {
            return NEG;
        }
        double rootSum = 0;
        if (singleRoot) {
            x[k - 1] = 1;
            for (int p = k - 2; p >= 0; p--) {
                double sum = 0;
                for (int j = p + 1; j < k; j++) {
                    sum += w[p * k + j] * x[j];
                }
                x[p] = sum / pivot[p];
            }
            for (int b = 0; b < k; b++) {
                rootSum += rootW[b] * x[b];
            }
            if (!(rootSum > 0)) {
                return NEG;
            }
            logZ += Math.log(rootSum);
        }
        if (marginalsOut != null) {
            gradient(k, singleRoot, rootSum);
            for (int a = 0; a < k; a++) {
                int h = ids[a];
                for (int b = 0; b < k; b++) {
                    int m = ids[b];
                    if (a != b && m != 0) {
                        marginalsOut[h * nn + m] = w0[a * k + b] * g[a * k + b];
                    }
                }
            }
            if (singleRoot) {
                for (int b = 0; b < k; b++) {
                    marginalsOut[ids[b]] = rootW[b] * x[b] / rootSum;
                }
            }
        }
        return gamma * logZ + shiftSum;
    }

    /**
     * Subtraction-free elimination of indices 0..k-2 of the weight matrix {@code w} (arc a → b at [a·k + b]); returns
     * the sum of the log pivots, or -∞ if a pivot underflows to 0.
     */
    private double eliminate(int k) {
        double logDet = 0;
        for (int p = 0; p < k - 1; p++) {
            double d = 0;
            for (int i = p + 1; i < k; i++) {
                d += w[i * k + p];
            }
            if (!(d > 0)) {
                return NEG;
            }
            pivot[p] = d;
            logDet += Math.log(d);
            for (int j = p + 1; j < k; j++) {
                double wpj = w[p * k + j];
                if (wpj == 0) {
                    continue;
                }
                double t = wpj / d;
                for (int i = p + 1; i < k; i++) {
                    if (i != j) {
                        w[i * k + j] += w[i * k + p] * t;
                    }
                }
            }
        }
        return logDet;
    }

    /** Reverse-mode derivative of log Z with respect to every working weight, into {@code g} (w0 positions). */
    private void gradient(int k, boolean singleRoot, double rootSum) {
        Arrays.fill(g, 0, k * k, 0);
        if (singleRoot) {
            Arrays.fill(gt, 0, k * k, 0);
            for (int b = 0; b < k; b++) {
                gx[b] = rootW[b] / rootSum;
            }
            // Reverse of the back-substitution x[p] = Σ_{j>p} (w[p][j] / pivot[p]) · x[j], run for p = k-2 .. 0.
            for (int p = 0; p < k - 1; p++) {
                double gxp = gx[p];
                if (gxp == 0) {
                    continue;
                }
                double inv = 1 / pivot[p];
                for (int j = p + 1; j < k; j++) {
                    gt[p * k + j] += gxp * x[j];
                    gx[j] += gxp * w[p * k + j] * inv;
                }
            }
        }
        for (int p = k - 2; p >= 0; p--) {
            double d = pivot[p];
            double gd = 1 / d;
            for (int j = p + 1; j < k; j++) {
                double t = w[p * k + j] / d;
                double gtj = singleRoot ? gt[p * k + j] : 0;
                for (int i = p + 1; i < k; i++) {
                    if (i != j) {
                        double gij = g[i * k + j];
                        gtj += gij * w[i * k + p];
                        g[i * k + p] += gij * t;
                    }
                }
                g[p * k + j] += gtj / d;
                gd -= gtj * t / d;
            }
            for (int i = p + 1; i < k; i++) {
                g[i * k + p] += gd;
            }
        }
    }

    /** Whether every word is reachable from the root through finite arcs. */
    private boolean treeExists(int n, double[] arcs) {
        return reachCount(0, n, arcs, true) == n + 1;
    }

    /**
     * A word that reaches every word through finite word-to-word arcs, when some such word also has a finite root
     * arc (so a single-root tree exists); -1 otherwise.
     */
    private int singleRootCandidate(int n, double[] arcs) {
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
            return -1;
        }
        // Words that reach the candidate reach everything; one of them needs a finite root arc.
        reachCount(candidate, n, arcs, false);
        for (int v = 1; v < nn; v++) {
            if (seen[v] && arcs[v] != NEG) {
                return candidate;
            }
        }
        return -1;
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
        ids = new int[nn];
        w0 = new double[nn * nn];
        w = new double[nn * nn];
        g = new double[nn * nn];
        gt = new double[nn * nn];
        pivot = new double[nn];
        rootW = new double[nn];
        x = new double[nn];
        gx = new double[nn];
        seen = new boolean[nn];
        queue = new int[nn];
    }
}
