package io.github.sparsestruct.inference.map;

import java.util.Arrays;

/**
 * Maximum projective dependency tree by Eisner's first-order algorithm, O(n³) time and O(n²) space.
 *
 * <p>Nodes are the root 0 (leftmost) and words 1..n; {@code arcs[h·(n+1) + m]} scores head h for word m (column 0 and
 * the diagonal are ignored; -∞ forbids an arc; NaN and +∞ are rejected). Projective means no two arcs cross, root
 * arcs included. Single root: the spans over the words alone are combined as root → r with a complete left span
 * 1..r and a complete right span r..n, maximised over r.
 *
 * <p>Ties go to the smallest split point (deterministic). Keeps a reusable workspace: not thread-safe, use one
 * instance per thread.
 */
public final class Eisner {
    private static final double NEG = Double.NEGATIVE_INFINITY;
    private static final ThreadLocal<Eisner> LOCAL = ThreadLocal.withInitial(Eisner::new);

    private int cap;
    /** Complete span headed at its left end s, covering s..t, at [s·N + t]. */
    private double[] cr = new double[0];
    /** Complete span headed at its right end t, covering s..t. */
    private double[] cl = new double[0];
    /** Incomplete span with arc s → t. */
    private double[] ir = new double[0];
    /** Incomplete span with arc t → s, stored transposed at [t·N + s]. */
    private double[] ilT = new double[0];
    /** {@code cr} and {@code cl} transposed, so that every inner loop reads contiguous memory. */
    private double[] crT = new double[0];
    private double[] clT = new double[0];
    /** Best split of the two incomplete spans over s..t, before adding the arc score. */
    private double[] inc = new double[0];
    private int[] heads;
    private int nn;

    /** Creates a solver with an empty workspace that grows on demand. */
    public Eisner() {
    }

    /**
     * Highest-scoring projective dependency tree, using a cached solver of the calling thread.
     *
     * @see #maximize(int, double[], boolean, int[])
     */
    public static double decode(int n, double[] arcs, boolean singleRoot, int[] headsOut) {
        return LOCAL.get().maximize(n, arcs, singleRoot, headsOut);
    }

    /**
     * Highest-scoring projective dependency tree.
     *
     * @param n          number of words, at least 1
     * @param arcs       (n+1)² arc scores, {@code arcs[h·(n+1) + m]}
     * @param singleRoot whether exactly one word must hang from the root
     * @param headsOut   length ≥ n+1: receives -1 at index 0 and the head of each word m at index m (all -1 when no
     *                   projective tree is feasible)
     * @return the score of the tree, or -∞ when every projective tree contains a forbidden arc
     * @throws IllegalArgumentException on bad sizes, or NaN / +∞ arc scores
     */
    public double maximize(int n, double[] arcs, boolean singleRoot, int[] headsOut) {
        Checks.atLeast("n", n, 1);
        final int N = n + 1;
        Checks.length("arcs", arcs, N * N);
        Checks.length("headsOut", headsOut, N);
        for (int h = 0; h < N; h++) {
            for (int m = 1; m < N; m++) {
                if (h != m) {
                    Checks.scores("arcs", arcs, h * N + m, 1);
                }
            }
        }
        ensure(N);
        for (int s = 0; s < N; s++) {
            cr[s * N + s] = 0;
            cl[s * N + s] = 0;
            crT[s * N + s] = 0;
            clT[s * N + s] = 0;
        }
        // Values only (maxima without argmax); split points are recovered while backtracking by recomputing the same
        // sums along the O(n) spans of the chosen tree. The transposed copies keep every inner loop contiguous.
        for (int width = 1; width < N; width++) {
            for (int s = 0; s + width < N; s++) {
                int t = s + width;
                int st = s * N + t;
                int ts = t * N + s;
                int sRow = s * N;
                int tRow = t * N;
                double best = NEG;
                for (int r = s; r < t; r++) {
                    double v = cr[sRow + r] + clT[tRow + r + 1];
                    best = v > best ? v : best;
                }
                inc[st] = best;
                ir[st] = best + arcs[st];
                ilT[ts] = s == 0 ? NEG : best + arcs[ts];
                best = NEG;
                for (int r = s + 1; r <= t; r++) {
                    double v = ir[sRow + r] + crT[tRow + r];
                    best = v > best ? v : best;
                }
                cr[st] = best;
                crT[ts] = best;
                best = NEG;
                for (int r = s; r < t; r++) {
                    double v = cl[sRow + r] + ilT[tRow + r];
                    best = v > best ? v : best;
                }
                cl[st] = best;
                clT[ts] = best;
            }
        }
        heads = headsOut;
        nn = N;
        headsOut[0] = -1;
        if (!singleRoot) {
            if (cr[n] == NEG) {
                return infeasible(headsOut, N);
            }
            backCr(0, n);
        } else {
            double best = NEG;
            int root = -1;
            for (int r = 1; r <= n; r++) {
                double v = arcs[r] + cl[N + r] + cr[r * N + n];
                if (v > best) {
                    best = v;
                    root = r;
                }
            }
            if (root < 0) {
                return infeasible(headsOut, N);
            }
            headsOut[root] = 0;
            backCl(1, root);
            backCr(root, n);
        }
        heads = null;
        double total = 0;
        for (int m = 1; m < N; m++) {
            total += arcs[headsOut[m] * N + m];
        }
        return total;
    }

    private void backCr(int s, int t) {
        if (s == t) {
            return;
        }
        double target = cr[s * nn + t];
        int r = s + 1;
        while (r < t && ir[s * nn + r] + crT[t * nn + r] != target) {
            r++;
        }
        backIncomplete(s, r, true);
        backCr(r, t);
    }

    private void backCl(int s, int t) {
        if (s == t) {
            return;
        }
        double target = cl[s * nn + t];
        int r = s;
        while (r < t - 1 && cl[s * nn + r] + ilT[t * nn + r] != target) {
            r++;
        }
        backCl(s, r);
        backIncomplete(r, t, false);
    }

    private void backIncomplete(int s, int t, boolean rightward) {
        if (rightward) {
            heads[t] = s;
        } else {
            heads[s] = t;
        }
        double target = inc[s * nn + t];
        int r = s;
        while (r < t - 1 && cr[s * nn + r] + clT[t * nn + r + 1] != target) {
            r++;
        }
        backCr(s, r);
        backCl(r + 1, t);
    }

    private static double infeasible(int[] headsOut, int nn) {
        Arrays.fill(headsOut, 0, nn, -1);
        return NEG;
    }

    private void ensure(int n1) {
        if (cap >= n1) {
            return;
        }
        cap = n1;
        int size = n1 * n1;
        cr = new double[size];
        cl = new double[size];
        ir = new double[size];
        ilT = new double[size];
        crT = new double[size];
        clT = new double[size];
        inc = new double[size];
    }
}
