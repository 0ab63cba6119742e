package io.github.sparsestruct.models.format;

/**
 * One array as {@code header.json} lists it: name, dtype, declared shape, value count, entry and SHA-256.
 *
 * @param count        the number of values, or -1 when the shape holds more than one Java array can
 * @param countProblem why {@code count} is -1, or null
 */
record ArraySpec(String name, Tensor.DType dtype, long[] shape, long count, String countProblem, String entry,
                 String sha256) {
    /** The most values one array holds: the largest Java array. */
    static final long MAX_ARRAY_VALUES = Integer.MAX_VALUE - 8L;
    /** The most bytes one array entry holds. */
    static final long MAX_ARRAY_BYTES = MAX_ARRAY_VALUES * 4;

    /** The bytes the declared shape needs (-1 when it is too large). */
    long bytes() {
        return count < 0 ? -1 : count * dtype.bytes();
    }
}
