package io.github.sparsestruct.inference.smooth;

/** Shared input checks and sorting helpers of the smoothed max operators. */
final class MaxInputs {
    private MaxInputs() {
    }

    /** Validates γ for a smoothed operator: finite and strictly positive. */
    static double checkGamma(double gamma) {
        if (!(gamma > 0) || gamma == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
        }
        return gamma;
    }

    /** Validates {@code len >= 1}. */
    static void checkLen(int len) {
        if (len < 1) {
            throw new IllegalArgumentException("max_Ω needs at least one entry, got len = " + len);
        }
    }

    /** The exception for a NaN or +∞ entry at local index {@code i}. */
    static IllegalArgumentException badEntry(int i, double v) {
        if (Double.isNaN(v)) {
            return new IllegalArgumentException("max_Ω input contains NaN at index " + i);
        }
        return new IllegalArgumentException("max_Ω input contains +Infinity at index " + i
                + " (+∞ scores are not supported; use -∞ to forbid an entry)");
    }

    /**
     * Largest entry of x[off..off+len), checking that none is NaN or +∞ (-∞ is allowed).
     */
    static double checkedMax(double[] x, int off, int len) {
        checkLen(len);
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            double v = x[off + i];
            if (!(v < Double.POSITIVE_INFINITY)) {
                throw badEntry(i, v);
            }
            if (v > m) {
                m = v;
            }
        }
        return m;
    }

    /** Sorts a[0..n) in descending order without allocating (insertion sort when small, heapsort otherwise). */
    static void sortDescending(double[] a, int n) {
        if (n <= 32) {
            for (int i = 1; i < n; i++) {
                double v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] < v) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        // heapsort with a min-heap gives descending order
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDownMin(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            double t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDownMin(a, 0, end);
        }
    }

    private static void siftDownMin(double[] a, int i, int n) {
        double v = a[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && a[c + 1] < a[c]) {
                c++;
            }
            if (a[c] >= v) {
                break;
            }
            a[i] = a[c];
            i = c;
        }
        a[i] = v;
    }
}
