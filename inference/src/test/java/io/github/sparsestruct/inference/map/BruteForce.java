package io.github.sparsestruct.inference.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Exhaustive enumeration oracles and random score generators shared by the tests of this package. */
final class BruteForce {
    static final double NEG = Double.NEGATIVE_INFINITY;

    private BruteForce() {
    }

    /** All head vectors (index 0 holds -1) forming a tree rooted at 0 over words 1..n. */
    static List<int[]> trees(int n, boolean projectiveOnly, boolean singleRootOnly) {
        List<int[]> out = new ArrayList<>();
        int[] heads = new int[n + 1];
        heads[0] = -1;
        enumerate(1, n, heads, out, projectiveOnly, singleRootOnly);
        return out;
    }

    private static void enumerate(int m, int n, int[] heads, List<int[]> out, boolean proj, boolean single) {
        if (m > n) {
            if (isTree(heads, n) && (!proj || isProjective(heads, n)) && (!single || rootChildren(heads, n) == 1)) {
                out.add(heads.clone());
            }
            return;
        }
        for (int h = 0; h <= n; h++) {
            if (h != m) {
                heads[m] = h;
                enumerate(m + 1, n, heads, out, proj, single);
            }
        }
    }

    /** Whether heads[1..n] is a tree rooted at 0: valid heads and every word reaches 0 without a cycle. */
    static boolean isTree(int[] heads, int n) {
        if (heads.length < n + 1 || heads[0] != -1) {
            return false;
        }
        for (int m = 1; m <= n; m++) {
            if (heads[m] < 0 || heads[m] > n || heads[m] == m) {
                return false;
            }
        }
        for (int m = 1; m <= n; m++) {
            int x = m;
            int steps = 0;
            while (x != 0) {
                x = heads[x];
                if (++steps > n) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether no two arcs cross (root at position 0 included). */
    static boolean isProjective(int[] heads, int n) {
        for (int m = 1; m <= n; m++) {
            int l1 = Math.min(m, heads[m]);
            int r1 = Math.max(m, heads[m]);
            for (int m2 = 1; m2 <= n; m2++) {
                int l2 = Math.min(m2, heads[m2]);
                int r2 = Math.max(m2, heads[m2]);
                if (l1 < l2 && l2 < r1 && r1 < r2) {
                    return false;
                }
            }
        }
        return true;
    }

    static int rootChildren(int[] heads, int n) {
        int c = 0;
        for (int m = 1; m <= n; m++) {
            if (heads[m] == 0) {
                c++;
            }
        }
        return c;
    }

    static double treeScore(int n, double[] arcs, int[] heads) {
        double s = 0;
        for (int m = 1; m <= n; m++) {
            s += arcs[heads[m] * (n + 1) + m];
        }
        return s;
    }

    /**
     * A random score: mode 0 Gaussian, 1 integer in {-2..2} (ties), 2 Gaussian with 30% -∞, 3 integer with 45% -∞.
     */
    static double score(Random rnd, int mode) {
        switch (mode) {
            case 0:
                return rnd.nextGaussian() * 2;
            case 1:
                return rnd.nextInt(5) - 2;
            case 2:
                return rnd.nextDouble() < 0.3 ? NEG : rnd.nextGaussian() * 2;
            default:
                return rnd.nextDouble() < 0.45 ? NEG : rnd.nextInt(5) - 2;
        }
    }

    /** (n+1)² arc scores; column 0 and the diagonal hold junk (NaN) that the code must ignore. */
    static double[] arcs(Random rnd, int n, int mode) {
        int nn = n + 1;
        double[] a = new double[nn * nn];
        for (int h = 0; h < nn; h++) {
            for (int m = 0; m < nn; m++) {
                a[h * nn + m] = m == 0 || m == h ? Double.NaN : score(rnd, mode);
            }
        }
        return a;
    }

    /** log Σ exp(x_i) of a list, exact enough for the sizes used here; -∞ for an empty or all -∞ list. */
    static double logSumExp(double[] x) {
        double mx = NEG;
        for (double v : x) {
            mx = Math.max(mx, v);
        }
        if (mx == NEG) {
            return NEG;
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - mx);
        }
        return mx + Math.log(s);
    }

    /** |actual - expected| ≤ tol·max(1, |expected|), with -∞ matching only -∞. */
    static boolean close(double actual, double expected, double tol) {
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
    }
}
