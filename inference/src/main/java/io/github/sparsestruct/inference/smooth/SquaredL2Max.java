package io.github.sparsestruct.inference.smooth;

import java.util.Arrays;

/**
 * max_Ω with Ω = (γ/2)‖p‖², as in the DP and SparseMAP papers: gradient p = sparsemax(x/γ), the exact Euclidean
 * projection of x/γ onto the simplex (sort-based), value ⟨p, x⟩ − (γ/2)‖p‖², Hessian (diag(s) − s sᵀ/|supp|)/γ with
 * s the support indicator of p.
 *
 * <p>Unlike the entropic regularisers, Ω does not vanish on the vertices: a single finite entry gives
 * max_Ω(x) = x − γ/2, and max(x) − γ/2 ≤ max_Ω(x) ≤ max(x) − γ/(2k) over k finite entries. DP-Ω applies the operator
 * at every node, one-parent nodes included, so DP_Ω with this Ω is the paper's recursion exactly.
 *
 * <p>Keeps a scratch buffer grown on demand: not thread-safe, use {@link #copy()} for each thread.
 */
public final class SquaredL2Max implements SmoothedMax {
    private final double gamma;
    private final double invGamma;
    private double[] sorted = new double[16];

    SquaredL2Max(double gamma) {
        this.gamma = MaxInputs.checkGamma(gamma);
        this.invGamma = 1.0 / gamma;
    }

    @Override
    public double max(double[] x, int off, int len, double[] p, int pOff) {
        double m = MaxInputs.checkedMax(x, off, len);
        if (m == Double.NEGATIVE_INFINITY) {
            Arrays.fill(p, pOff, pOff + len, 0.0);
            return m;
        }
        if (sorted.length < len) {
            sorted = new double[Math.max(len, 2 * sorted.length)];
        }
        double[] a = sorted;
        int n = 0;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            if (v != Double.NEGATIVE_INFINITY) {
                a[n++] = (v - m) * invGamma;
            }
        }
        MaxInputs.sortDescending(a, n);
        // support size k = max{k : 1 + k z_(k) > Σ_{r ≤ k} z_(r)}; z_(1) = 0 so k >= 1
        double cum = 0;
        double cumK = 0;
        int k = 0;
        for (int r = 1; r <= n; r++) {
            double zr = a[r - 1];
            cum += zr;
            if (1 + r * zr > cum) {
                k = r;
                cumK = cum;
            }
        }
        double tau = (cumK - 1) / k;
        double lin = 0;
        double sq = 0;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            double pi = 0;
            if (v != Double.NEGATIVE_INFINITY) {
                double z = (v - m) * invGamma;
                if (z > tau) {
                    pi = z - tau;
                    lin += pi * z;
                    sq += pi * pi;
                }
            }
            p[pOff + i] = pi;
        }
        // ⟨p, x⟩ − (γ/2)‖p‖² = m + γ(⟨p, z⟩ − ‖p‖²/2) with z = (x − m)/γ and Σ p = 1
        return m + gamma * (lin - 0.5 * sq);
    }

    @Override
    public void hvp(double[] p, int pOff, int len, double[] z, int zOff, double[] out, int outOff) {
        int k = 0;
        double sum = 0;
        for (int i = 0; i < len; i++) {
            if (p[pOff + i] > 0) {
                k++;
                sum += z[zOff + i];
            }
        }
        double mean = k == 0 ? 0 : sum / k;
        for (int i = 0; i < len; i++) {
            out[outOff + i] = p[pOff + i] > 0 ? (z[zOff + i] - mean) * invGamma : 0.0;
        }
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public SmoothedMax copy() {
        return new SquaredL2Max(gamma);
    }

    @Override
    public String toString() {
        return "squaredL2(" + gamma + ")";
    }
}
