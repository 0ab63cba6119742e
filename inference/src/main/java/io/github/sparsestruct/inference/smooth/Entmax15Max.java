package io.github.sparsestruct.inference.smooth;

import java.util.Arrays;

/**
 * max_Ω with Ω = γ·(Σ p^{3/2} − 1)/0.75, the Tsallis α = 1.5 negentropy: gradient p = entmax15(x/γ), computed
 * exactly by the sort-based algorithm of Peters, Niculae &amp; Martins (2019), p_i = [x_i/(2γ) − τ]_+²; value
 * ⟨p, x⟩ − γΩ(p); Hessian (diag(√p) − √p √pᵀ/Σ√p)/γ.
 *
 * <p>Keeps a scratch buffer grown on demand: not thread-safe, use {@link #copy()} for each thread.
 */
public final class Entmax15Max implements SmoothedMax {
    private final double gamma;
    private final double invGamma;
    private double[] sorted = new double[16];

    Entmax15Max(double gamma) {
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
        double half = 0.5 * invGamma;
        int n = 0;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            if (v != Double.NEGATIVE_INFINITY) {
                a[n++] = (v - m) * half;
            }
        }
        MaxInputs.sortDescending(a, n);
        // with support of size k, τ solves Σ_{r ≤ k} (z_(r) − τ)² = 1 (smaller root); k is the largest size whose
        // threshold lies below its smallest member. The largest entry is 0, so k = 1 (τ = −1) always qualifies.
        double sum = 0;
        double sumSq = 0;
        double tau = -1;
        for (int k = 1; k <= n; k++) {
            double zk = a[k - 1];
            sum += zk;
            sumSq += zk * zk;
            double mean = sum / k;
            double delta = (1.0 / k) - (sumSq / k - mean * mean);
            double tauK = mean - Math.sqrt(Math.max(delta, 0.0));
            if (tauK <= zk) {
                tau = tauK;
            }
        }
        double total = 0;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            double pi = 0;
            if (v != Double.NEGATIVE_INFINITY) {
                double r = (v - m) * half - tau;
                if (r > 0) {
                    pi = r * r;
                }
            }
            p[pOff + i] = pi;
            total += pi;
        }
        // renormalise away rounding so that p is exactly a distribution
        double inv = 1.0 / total;
        double lin = 0;
        double pow = 0;
        for (int i = 0; i < len; i++) {
            double pi = p[pOff + i] * inv;
            p[pOff + i] = pi;
            if (pi > 0) {
                lin += pi * (x[off + i] - m);
                pow += pi * Math.sqrt(pi);
            }
        }
        return m + lin - gamma * (pow - 1) / 0.75;
    }

    @Override
    public void hvp(double[] p, int pOff, int len, double[] z, int zOff, double[] out, int outOff) {
        double sumS = 0;
        double sz = 0;
        for (int i = 0; i < len; i++) {
            double s = Math.sqrt(p[pOff + i]);
            sumS += s;
            sz += s * z[zOff + i];
        }
        double c = sumS > 0 ? sz / sumS : 0;
        for (int i = 0; i < len; i++) {
            double s = Math.sqrt(p[pOff + i]);
            out[outOff + i] = s * (z[zOff + i] - c) * invGamma;
        }
    }

    @Override
    public double gamma() {
        return gamma;
    }

    @Override
    public SmoothedMax copy() {
        return new Entmax15Max(gamma);
    }

    @Override
    public String toString() {
        return "entmax15(" + gamma + ")";
    }
}
