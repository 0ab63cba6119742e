package io.github.sparsestruct.inference.dp;

/** Shared input checks of the dynamic programs. */
final class DpChecks {
    private DpChecks() {
    }

    /** The exception for a NaN or +∞ score {@code v} at index {@code k} of the array {@code name}. */
    static IllegalArgumentException badScore(String name, int k, double v) {
        if (Double.isNaN(v)) {
            return new IllegalArgumentException(name + " contains NaN at index " + k);
        }
        return new IllegalArgumentException(name + " contains " + v + " at index " + k
                + " (scores may be -Infinity to forbid a part, never +Infinity)");
    }

    /** Throws if {@code len} values from {@code off} do not fit into an array of length {@code length}. */
    static void checkRange(String name, int length, int off, long len) {
        if (off < 0 || len < 0 || off + len > length) {
            throw new IllegalArgumentException(name + ": range [" + off + ", " + (off + len)
                    + ") does not fit in an array of length " + length);
        }
    }
}
