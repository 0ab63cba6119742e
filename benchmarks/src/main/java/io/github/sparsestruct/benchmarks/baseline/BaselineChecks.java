package io.github.sparsestruct.benchmarks.baseline;

/**
 * Copies of the package-private argument checks ({@code map.Checks}, {@code dp.DpChecks}) that the baseline kernels
 * call, unchanged.
 */
final class BaselineChecks {
    private BaselineChecks() {
    }

    static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }

    static void length(String name, double[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    static void length(String name, int[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    static void length(String name, boolean[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    static void scores(String name, double[] a, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            double v = a[i];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + v
                        + "; scores must be finite or -Infinity");
            }
        }
    }

    static IllegalArgumentException badScore(String name, int k, double v) {
        if (Double.isNaN(v)) {
            return new IllegalArgumentException(name + " contains NaN at index " + k);
        }
        return new IllegalArgumentException(name + " contains " + v + " at index " + k
                + " (scores may be -Infinity to forbid a part, never +Infinity)");
    }

    static void checkRange(String name, int length, int off, long len) {
        if (off < 0 || len < 0 || off + len > length) {
            throw new IllegalArgumentException(name + ": range [" + off + ", " + (off + len)
                    + ") does not fit in an array of length " + length);
        }
    }
}
