package io.github.sparsestruct.models.format;

import java.util.Arrays;
import java.util.Locale;

/**
 * A dense row-major array of {@code float32} or {@code int32} values with a shape, as stored in a model file.
 * Exactly one of {@code data} (float32) and {@code intData} (int32) is non-null. The shape is copied; the values
 * are not (tensors can be large), so do not modify an array after handing it over. Equality compares shape, type
 * and values.
 *
 * @param shape   the dimensions, each ≥ 0 (an empty shape is a scalar holding one value)
 * @param data    the float32 values, or null for an int32 tensor
 * @param intData the int32 values, or null for a float32 tensor
 */
public record Tensor(long[] shape, float[] data, int[] intData) {
    /** The element types a model file can hold. */
    public enum DType {
        /** IEEE 754 single precision, 4 bytes. */
        FLOAT32,
        /** Two's-complement 32-bit integer, 4 bytes. */
        INT32;

        /** The name used in {@code header.json}: {@code float32} or {@code int32}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Bytes per element. */
        public int bytes() {
            return 4;
        }

        /** The type named {@code name} in {@code header.json}, or null when there is none. */
        public static DType fromJsonName(String name) {
            for (DType t : values()) {
                if (t.jsonName().equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Checks that exactly one value array is given and that its length is the product of the shape. */
    public Tensor {
        if (shape == null) {
            throw new IllegalArgumentException("tensor shape is null");
        }
        if ((data == null) == (intData == null)) {
            throw new IllegalArgumentException("a tensor holds either float32 data or int32 data, not both or neither");
        }
        shape = shape.clone();
        long n = elementCount(shape);
        int length = data != null ? data.length : intData.length;
        if (n != length) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " needs " + n
                    + " values, found " + length);
        }
    }

    /** A float32 tensor. */
    public Tensor(long[] shape, float[] data) {
        this(shape, data, null);
    }

    /** A float32 tensor with the given values and shape. */
    public static Tensor of(float[] data, long... shape) {
        return new Tensor(shape, data, null);
    }

    /** An int32 tensor with the given values and shape. */
    public static Tensor ofInts(int[] data, long... shape) {
        return new Tensor(shape, null, data);
    }

    /** A float32 vector. */
    public static Tensor vector(float... data) {
        return new Tensor(new long[] {data.length}, data, null);
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor matrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[Math.multiplyExact(rows.length, cols)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has "
                        + cols);
            }
            System.arraycopy(rows[i], 0, d, i * cols, cols);
        }
        return new Tensor(new long[] {rows.length, cols}, d, null);
    }

    /**
     * The number of elements a shape holds; fails when a dimension is negative or the count does not fit a Java
     * array.
     */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more values than a Java"
                        + " array can");
            }
        }
        return n;
    }

    /** The element type. */
    public DType dtype() {
        return data != null ? DType.FLOAT32 : DType.INT32;
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The float32 values (not copied); fails on an int32 tensor. */
    @Override
    public float[] data() {
        if (data == null) {
            throw new IllegalStateException("this tensor is int32: use intData()");
        }
        return data;
    }

    /** The int32 values (not copied); fails on a float32 tensor. */
    @Override
    public int[] intData() {
        if (intData == null) {
            throw new IllegalStateException("this tensor is float32: use data()");
        }
        return intData;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}, as an int. */
    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    /** Number of values. */
    public int size() {
        return data != null ? data.length : intData.length;
    }

    /** Whether the shape equals {@code expected}. */
    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data)
                && Arrays.equals(intData, t.intData);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(data)) + Arrays.hashCode(intData);
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype().jsonName() + " " + Arrays.toString(shape) + "]";
    }
}
