package io.github.sparsestruct.inference.smooth;

import java.util.Arrays;

/** The plain max (Ω = 0, γ = 0): gradient one-hot on the first maximal entry, Hessian 0. Stateless. */
public final class HardMax implements SmoothedMax {
    static final HardMax INSTANCE = new HardMax();

    private HardMax() {
    }

    @Override
    public double max(double[] x, int off, int len, double[] p, int pOff) {
        MaxInputs.checkLen(len);
        double m = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            if (!(v < Double.POSITIVE_INFINITY)) {
                throw MaxInputs.badEntry(i, v);
            }
            if (v > m) {
                m = v;
                arg = i;
            }
        }
        Arrays.fill(p, pOff, pOff + len, 0.0);
        if (arg >= 0) {
            p[pOff + arg] = 1.0;
        }
        return m;
    }

    @Override
    public void hvp(double[] p, int pOff, int len, double[] z, int zOff, double[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + len, 0.0);
    }

    @Override
    public double gamma() {
        return 0;
    }

    /** Returns {@code this}: the operator is stateless. */
    @Override
    public SmoothedMax copy() {
        return this;
    }

    @Override
    public String toString() {
        return "hard";
    }
}
