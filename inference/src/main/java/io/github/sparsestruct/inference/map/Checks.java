package io.github.sparsestruct.inference.map;

/** Argument validation shared by the oracles of this package. */
final class Checks {
    private Checks() {
    }

    /** Throws unless {@code value >= min}. */
    static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }

    /** Throws unless {@code a} is non-null with at least {@code required} entries. */
    static void length(String name, double[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    /** Throws unless {@code a} is non-null with at least {@code required} entries. */
    static void length(String name, int[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    /** Throws unless {@code a} is non-null with at least {@code required} entries. */
    static void length(String name, boolean[] a, int required) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < required) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", needs at least " + required);
        }
    }

    /** Throws if any of {@code a[off .. off+len)} is NaN or +∞ (−∞ is allowed: it forbids a part). */
    static void scores(String name, double[] a, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            double v = a[i];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + v
                        + "; scores must be finite or -Infinity");
            }
        }
    }

    /** Throws unless {@code gamma} is finite and positive. */
    static void gamma(double gamma) {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
        }
    }
}
