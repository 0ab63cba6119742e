package io.github.sparsestruct.inference.map;

/** MAP oracle of the simplex: pick exactly one of {@code len} options. */
public final class OneOfK {
    private OneOfK() {
    }

    /**
     * Index (relative to {@code off}) of the first maximum of {@code x[off .. off+len)}, or -1 when every entry is
     * -∞ (or {@code len == 0}).
     *
     * @throws IllegalArgumentException if an entry is NaN or +∞, or the range is out of bounds
     */
    public static int argmax(double[] x, int off, int len) {
        if (x == null) {
            throw new IllegalArgumentException("x must not be null");
        }
        if (off < 0 || len < 0 || off + len > x.length) {
            throw new IllegalArgumentException("range [" + off + ", " + off + "+" + len + ") out of bounds for length "
                    + x.length);
        }
        Checks.scores("x", x, off, len);
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            if (v > bestScore) {
                bestScore = v;
                best = i;
            }
        }
        return best;
    }
}
