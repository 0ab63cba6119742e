package io.github.sparsestruct.inference.dp;

/**
 * Inlinable exp and log for the entropic DP kernels (soft-DTW, Vit_Ω): table-driven, plain arithmetic, so the JIT
 * inlines them and overlaps independent evaluations, where {@link Math#exp} and {@link Math#log} are calls into
 * stubs that spill every vector register. Accuracy: a few ulps over their documented domains (checked against
 * {@code Math} in the tests), far inside the 1e-10 the kernels promise.
 *
 * <p>exp: 2^(k/256) from a table times a degree-4 polynomial on |r| ≤ ln2/512 (truncation r⁵/120 < 4e-17). log:
 * exponent times ln 2, plus ln c_j from a table for the c_j = 1 + j/256 nearest to the mantissa, plus a degree-5
 * log1p polynomial on |r| ≤ 1/512 (truncation r⁶/6 < 1e-17; ln 1 is exactly 0). The tables take 6 KB.
 */
final class ExpLog {
    private static final int BITS = 8;
    private static final int N = 1 << BITS;
    private static final double INV_LN2_N = N / Math.log(2);
    /** ln2/N split in a high part with trailing zero bits (exact k·hi for |k| < 2^20) and a low part. */
    private static final double LN2_N_HI;
    private static final double LN2_N_LO;
    private static final double SHIFT = 0x1.8p52;
    private static final double LN2_HI;
    private static final double LN2_LO;
    /** Raw bits of 2^(j/N), j = 0..N−1. */
    private static final long[] EXP_TABLE = new long[N];
    /** 1/c_j and ln c_j for c_j = 1 + j/N, j = 0..N (c_0 = 1 makes ln 1 exactly 0). */
    private static final double[] INV_C = new double[N + 1];
    private static final double[] LOG_C = new double[N + 1];

    static {
        double ln2n = Math.log(2) / N;
        LN2_N_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(ln2n) & 0xFFFFFFFFF0000000L);
        LN2_N_LO = new java.math.BigDecimal("0.693147180559945309417232121458176568075500134360255254120680009")
                .divide(java.math.BigDecimal.valueOf(N), java.math.MathContext.DECIMAL128)
                .subtract(new java.math.BigDecimal(LN2_N_HI)).doubleValue();
        LN2_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(Math.log(2)) & 0xFFFFFFFFF0000000L);
        LN2_LO = new java.math.BigDecimal("0.693147180559945309417232121458176568075500134360255254120680009")
                .subtract(new java.math.BigDecimal(LN2_HI)).doubleValue();
        for (int j = 0; j < N; j++) {
            EXP_TABLE[j] = Double.doubleToRawLongBits(StrictMath.pow(2.0, (double) j / N));
        }
        for (int j = 0; j <= N; j++) {
            double c = 1.0 + (double) j / N;
            INV_C[j] = 1.0 / c;
            LOG_C[j] = StrictMath.log(c);
        }
    }

    private ExpLog() {
    }

    /**
     * e^x for x ≤ 0 (−∞ gives 0); accurate to a few ulps. Arguments below −700 (results under 1e-304) and positive
     * ones take {@link Math#exp}.
     */
    static double expNonPositive(double x) {
        if (!(x >= -700.0 && x <= 0.0)) {
            return Math.exp(x);
        }
        double t = x * INV_LN2_N + SHIFT;
        long k = Double.doubleToRawLongBits(t);
        double kd = t - SHIFT;
        double r = (x - kd * LN2_N_HI) - kd * LN2_N_LO;
        int j = (int) k & (N - 1);
        // k's low 52 bits hold the rounded integer (two's complement in the shifted mantissa)
        long e = (k - j) << (52 - BITS);
        double scale = Double.longBitsToDouble(EXP_TABLE[j] + e);
        double r2 = r * r;
        double p = r + r2 * (0.5 + r * (1.0 / 6 + r * (1.0 / 24)));
        return scale + scale * p;
    }

    /**
     * {@link #expNonPositive} for an argument known to be ≤ 0 (e.g. (x_j − max)/γ with γ &gt; 0): only the lower end
     * of the range is tested; below −700, −∞ and NaN take {@link Math#exp}. A positive argument gives a wrong result,
     * so only callers that subtract the maximum use it.
     */
    static double expNonPositiveKnown(double x) {
        if (!(x >= -700.0)) {
            return Math.exp(x);
        }
        double t = x * INV_LN2_N + SHIFT;
        long k = Double.doubleToRawLongBits(t);
        double kd = t - SHIFT;
        double r = (x - kd * LN2_N_HI) - kd * LN2_N_LO;
        int j = (int) k & (N - 1);
        // k's low 52 bits hold the rounded integer (two's complement in the shifted mantissa)
        long e = (k - j) << (52 - BITS);
        double scale = Double.longBitsToDouble(EXP_TABLE[j] + e);
        double r2 = r * r;
        double p = r + r2 * (0.5 + r * (1.0 / 6 + r * (1.0 / 24)));
        return scale + scale * p;
    }

    /**
     * ln x for x ≥ 1 and finite (sums of exponentials whose largest term is 1), absolute error a few 1e-16; other
     * arguments take {@link Math#log}.
     */
    static double logAtLeastOne(double x) {
        if (!(x >= 1.0 && x < Double.POSITIVE_INFINITY)) {
            return Math.log(x);
        }
        long bits = Double.doubleToRawLongBits(x);
        int e = (int) (bits >>> 52) - 1023;
        // nearest c_j to the mantissa m: |m/c_j − 1| ≤ 1/(2N)
        int j = (((int) (bits >>> (52 - BITS - 1)) & (2 * N - 1)) + 1) >> 1;
        double m = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        double r = m * INV_C[j] - 1.0;
        double r2 = r * r;
        double p = r - r2 * (0.5 - r * (1.0 / 3 - r * (0.25 - r * 0.2)));
        return (e * LN2_HI + LOG_C[j]) + (p + e * LN2_LO);
    }
}
