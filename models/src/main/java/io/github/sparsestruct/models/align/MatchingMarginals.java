package io.github.sparsestruct.models.align;

/**
 * Dense "softmax" marginals for the matching decoder: the maximiser of ⟨η, μ⟩ + H(μ) over the null-padded
 * (m+n)×(m+n) Birkhoff polytope (the convex hull of the padded perfect matchings, see {@link NullMatchingPolytope}),
 * computed by log-domain Sinkhorn iterations. Padded cells: source i's null column scores ν_i, target j's null row
 * ν'_j, null–null cells 0, other null cells are forbidden. The structure is used to make each iteration O(m·n). The
 * result's link marginals are dense (every pair gets some mass), the entropic counterpart of SparseMAP's.
 */
public final class MatchingMarginals {
    private MatchingMarginals() {
    }

    /**
     * The link marginals (m·n, row-major; each row and column sums to at most 1, with the rest on null).
     *
     * @param maxIter   iteration limit
     * @param tolerance stop when every row and column of the padded plan sums to 1 within this
     */
    public static double[] compute(double[] pairs, double[] nullSource, double[] nullTarget, int m, int n,
                                   int maxIter, double tolerance) {
        // potentials: f (source rows, m), fn (null rows, one per target word, n); g (target columns, n), gn (null
        // columns, one per source word, m)
        double[] f = new double[m];
        double[] fn = new double[n];
        double[] g = new double[n];
        double[] gn = new double[m];
        double[] buf = new double[n + 1];
        for (int it = 0; it < maxIter; it++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    buf[j] = pairs[i * n + j] + g[j];
                }
                buf[n] = nullSource[i] + gn[i];
                f[i] = -lse(buf, n + 1);
            }
            double nullCols = lse(gn, m);
            for (int j = 0; j < n; j++) {
                fn[j] = -logAdd(nullTarget[j] + g[j], nullCols);
            }
            double[] colBuf = new double[m + 1];
            double nullRows = lse(fn, n);
            double err = 0;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    colBuf[i] = pairs[i * n + j] + f[i];
                }
                colBuf[m] = nullTarget[j] + fn[j];
                double ng = -lse(colBuf, m + 1);
                err = Math.max(err, Math.abs(ng - g[j]));
                g[j] = ng;
            }
            for (int i = 0; i < m; i++) {
                double ng = -logAdd(nullSource[i] + f[i], nullRows);
                err = Math.max(err, Math.abs(ng - gn[i]));
                gn[i] = ng;
            }
            if (err < tolerance) {
                break;
            }
        }
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = Math.exp(pairs[i * n + j] + f[i] + g[j]);
            }
        }
        return out;
    }

    private static double lse(double[] x, int len) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            mx = Math.max(mx, x[k]);
        }
        if (mx == Double.NEGATIVE_INFINITY) {
            return mx;
        }
        double s = 0;
        for (int k = 0; k < len; k++) {
            s += Math.exp(x[k] - mx);
        }
        return mx + Math.log(s);
    }

    private static double logAdd(double a, double b) {
        double mx = Math.max(a, b);
        if (mx == Double.NEGATIVE_INFINITY) {
            return mx;
        }
        return mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx));
    }
}
