package io.github.sparsestruct.inference.sparsemap;

import java.util.Arrays;
import java.util.List;

/**
 * Independent reference for SparseMAP on an explicitly enumerated vertex set: accelerated projected gradient
 * (FISTA) on the weights over the simplex, run to machine precision, and the optimality check of the QP.
 */
final class QpOracle {
    private QpOracle() {
    }

    /** Euclidean projection of y onto the probability simplex (sort-based, Held et al.). */
    static double[] projectSimplex(double[] y) {
        double[] s = y.clone();
        Arrays.sort(s);
        double cum = 0;
        double theta = 0;
        int n = s.length;
        for (int i = n - 1; i >= 0; i--) {
            cum += s[i];
            double t = (cum - 1) / (n - i);
            if (i == 0 || s[i - 1] <= t) {
                theta = t;
                break;
            }
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.max(0, y[i] - theta);
        }
        return p;
    }

    /** sparsemax(x) = projection of x onto the simplex. */
    static double[] sparsemax(double[] x) {
        return projectSimplex(x);
    }

    /** Unary marginals u* of max ⟨η_u,u⟩+⟨η_v,v⟩−(γ/2)‖u‖² over conv(vertices), by FISTA on the weights. */
    static double[] solveU(List<Structure> vertices, int du, double[] etaU, double[] etaV, double gamma) {
        int n = vertices.size();
        double[][] m = new double[n][du];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j : vertices.get(i).unary()) {
                m[i][j] = 1;
            }
            c[i] = vertices.get(i).score(etaU, etaV);
        }
        // Lipschitz constant of the gradient: γ · λmax(M Mᵀ) ≤ γ · max row sum of the Gram matrix
        double lip = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int k = 0; k < n; k++) {
                row += Math.abs(dot(m[i], m[k]));
            }
            lip = Math.max(lip, row);
        }
        lip = Math.max(lip * gamma, 1e-12);
        double[] x = new double[n];
        Arrays.fill(x, 1.0 / n);
        double[] y = x.clone();
        double t = 1;
        for (int it = 0; it < 200_000; it++) {
            double[] uy = times(m, y, du);
            double[] grad = new double[n];
            for (int i = 0; i < n; i++) {
                grad[i] = c[i] - gamma * dot(m[i], uy); // ascent direction
            }
            double[] step = new double[n];
            for (int i = 0; i < n; i++) {
                step[i] = y[i] + grad[i] / lip;
            }
            double[] xn = projectSimplex(step);
            double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double diff = 0;
            for (int i = 0; i < n; i++) {
                y[i] = xn[i] + (t - 1) / tn * (xn[i] - x[i]);
                diff = Math.max(diff, Math.abs(xn[i] - x[i]));
            }
            x = xn;
            t = tn;
            if (diff < 1e-15 && it > 100) {
                break;
            }
        }
        return times(m, x, du);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] times(double[][] m, double[] w, int du) {
        double[] u = new double[du];
        for (int i = 0; i < m.length; i++) {
            if (w[i] != 0) {
                for (int j = 0; j < du; j++) {
                    u[j] += w[i] * m[i][j];
                }
            }
        }
        return u;
    }

    /**
     * The largest violation of the QP's optimality conditions at a solution: with g = η_u − γu and the solution's
     * value τ = Σ w_i ⟨g, y_i⟩ (plus v), every vertex must satisfy ⟨g, y⟩ ≤ τ and every support member equality.
     */
    static double kktViolation(List<Structure> vertices, SparseMapResult r, double[] etaU, double[] etaV,
                               double gamma) {
        double[] g = new double[etaU.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = etaU[i] - gamma * r.u()[i];
        }
        double tau = 0;
        for (int i = 0; i < r.support().size(); i++) {
            tau += r.weights()[i] * r.support().get(i).score(g, etaV);
        }
        double worst = 0;
        for (Structure y : vertices) {
            double s = y.score(g, etaV);
            if (s != Double.NEGATIVE_INFINITY) {
                worst = Math.max(worst, s - tau);
            }
        }
        for (Structure y : r.support()) {
            worst = Math.max(worst, Math.abs(y.score(g, etaV) - tau));
        }
        return worst;
    }
}
