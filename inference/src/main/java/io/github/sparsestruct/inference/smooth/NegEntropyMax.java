package io.github.sparsestruct.inference.smooth;

import java.util.Arrays;

/**
 * max_Ω with Ω = γ·Σ p log p (negative entropy): value γ·logsumexp(x/γ), gradient softmax(x/γ), Hessian
 * (diag(p) − p pᵀ)/γ. Stateless and allocation-free; computed stably by shifting with the maximum.
 */
public final class NegEntropyMax implements SmoothedMax {
    private final double gamma;
    private final double invGamma;

    NegEntropyMax(double gamma) {
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
        double s = 0;
        for (int i = 0; i < len; i++) {
            double e = Math.exp((x[off + i] - m) * invGamma);
            p[pOff + i] = e;
            s += e;
        }
        double inv = 1.0 / s;
        for (int i = 0; i < len; i++) {
            p[pOff + i] *= inv;
        }
        return m + gamma * Math.log(s);
    }

    @Override
    public void hvp(double[] p, int pOff, int len, double[] z, int zOff, double[] out, int outOff) {
        double pz = 0;
        for (int i = 0; i < len; i++) {
            pz += p[pOff + i] * z[zOff + i];
        }
        for (int i = 0; i < len; i++) {
            out[outOff + i] = p[pOff + i] * (z[zOff + i] - pz) * invGamma;
        }
    }

    @Override
    public double gamma() {
        return gamma;
    }

    /** Returns {@code this}: the operator is stateless. */
    @Override
    public SmoothedMax copy() {
        return this;
    }

    @Override
    public String toString() {
        return "negEntropy(" + gamma + ")";
    }
}
