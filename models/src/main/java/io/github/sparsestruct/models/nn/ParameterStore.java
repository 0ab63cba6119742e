package io.github.sparsestruct.models.nn;

import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where models put and find their state: named float32 arrays with shapes, plus named JSON metadata strings. It is
 * the seam between the models and a concrete file format (a zip with a JSON header and raw float32 arrays, say);
 * {@link InMemoryParameterStore} keeps everything in maps.
 */
public interface ParameterStore {
    /**
     * A stored array: row-major float32 data and its shape.
     *
     * @param shape the shape (empty for a scalar)
     * @param data  the values, row-major, length = product of the shape
     */
    record StoredArray(long[] shape, float[] data) {
        /** Checks that the data length matches the shape. */
        public StoredArray {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("array of shape " + java.util.Arrays.toString(shape) + " needs "
                        + n + " values, got " + data.length);
            }
        }
    }

    /** Stores an array under a name, replacing any previous one. */
    void putArray(String name, StoredArray array);

    /** The array stored under a name, or null. */
    StoredArray getArray(String name);

    /** Names of the stored arrays. */
    Set<String> arrayNames();

    /** Stores a JSON metadata string under a key, replacing any previous one. */
    void putMetadata(String key, String json);

    /** The JSON metadata string stored under a key, or null. */
    String getMetadata(String key);

    /** Keys of the stored metadata. */
    Set<String> metadataKeys();

    /** Stores an INDArray (converted to float32, row-major). */
    default void put(String name, INDArray array) {
        INDArray f = array.castTo(DataType.FLOAT).dup('c');
        putArray(name, new StoredArray(f.shape().clone(), f.data().asFloat()));
    }

    /**
     * The array stored under a name as an INDArray of the given type.
     *
     * @throws IllegalArgumentException naming the array when it is missing
     */
    default INDArray require(String name, DataType type) {
        StoredArray a = getArray(name);
        if (a == null) {
            throw new IllegalArgumentException("parameter store has no array '" + name + "' (arrays: "
                    + arrayNames().size() + "); was it written by a different model or version?");
        }
        INDArray f = a.shape().length == 0 ? Nd4j.scalar(a.data()[0]) : Nd4j.create(a.data(), a.shape(), 'c');
        return f.castTo(type);
    }

    /**
     * The metadata stored under a key.
     *
     * @throws IllegalArgumentException naming the key when it is missing
     */
    default String requireMetadata(String key) {
        String s = getMetadata(key);
        if (s == null) {
            throw new IllegalArgumentException("parameter store has no metadata '" + key + "' (keys: "
                    + metadataKeys() + ")");
        }
        return s;
    }
}
