package io.github.sparsestruct.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model read by {@link ModelFile}: its task, metadata and named arrays. The accessors with names fail with a
 * {@link ModelFormatException} naming the source when the model lacks what a loader needs.
 *
 * @param task          the task named in the header ({@code ner}, {@code depparse}, ...)
 * @param formatVersion the format version of the file
 * @param metadata      the free-form metadata object of the header
 * @param arrays        the arrays by name, in header order (unmodifiable)
 * @param source        the file read, or null when read from a stream
 * @param sourceName    the name used in messages: the file, or the name given with the stream
 */
public record LoadedModel(String task, int formatVersion, JsonNode metadata, Map<String, Tensor> arrays,
                          Path source, String sourceName) {
    /** Keeps the arrays in their order, unmodifiable; names the source "(stream)" when no name is given. */
    public LoadedModel {
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        if (sourceName == null) {
            sourceName = source != null ? source.toString() : "(stream)";
        }
    }

    /** A model read from {@code source} (null for a stream), named after it in messages. */
    public LoadedModel(String task, int formatVersion, JsonNode metadata, Map<String, Tensor> arrays, Path source) {
        this(task, formatVersion, metadata, arrays, source, null);
    }

    /** The array called {@code name}; fails naming the arrays present when there is none. */
    public Tensor array(String name) throws ModelFormatException {
        Tensor t = arrays.get(name);
        if (t == null) {
            throw new ModelFormatException("model " + sourceName + " has no array '" + name + "' (it has "
                    + arrays.keySet() + "); it was written for another model layout: re-export it with this build");
        }
        return t;
    }

    /** The array called {@code name}, checked to have shape {@code expected}. */
    public Tensor array(String name, long... expected) throws ModelFormatException {
        Tensor t = array(name);
        if (!t.hasShape(expected)) {
            throw new ModelFormatException("model " + sourceName + ": array '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected)
                    + "; the model does not match this configuration");
        }
        return t;
    }

    /** The metadata field {@code field}; fails when it is absent or null. */
    public JsonNode metadata(String field) throws ModelFormatException {
        JsonNode n = metadata.get(field);
        if (n == null || n.isNull()) {
            throw new ModelFormatException("model " + sourceName + " has no metadata field '" + field
                    + "'; it was written for another model layout: re-export it with this build");
        }
        return n;
    }
}
