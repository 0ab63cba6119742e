package io.github.sparsestruct.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.nn.InMemoryParameterStore;
import io.github.sparsestruct.models.nn.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Saves a model's {@link ParameterStore} as a {@link ModelFile} and loads it back: every array becomes a float32
 * array entry, every metadata key a field of the header's {@code metadata} object (parsed as JSON), and the caller's
 * descriptive metadata (training data, figures, ...) goes under {@code metadata.about}.
 */
public final class ParameterFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Header field holding the caller's descriptive metadata. */
    public static final String ABOUT = "about";

    private ParameterFiles() {
    }

    /**
     * Writes a store to a model file (atomically).
     *
     * @param about descriptive metadata (data, hyper-parameters, figures) or null
     */
    public static void save(Path file, String task, ParameterStore store, JsonNode about) throws IOException {
        ObjectNode meta = JSON.createObjectNode();
        for (String key : new TreeSet<>(store.metadataKeys())) {
            if (key.equals(ABOUT)) {
                throw new IllegalArgumentException("metadata key '" + ABOUT + "' is reserved");
            }
            meta.set(key, JSON.readTree(store.getMetadata(key)));
        }
        if (about != null) {
            meta.set(ABOUT, about);
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String name : new TreeSet<>(store.arrayNames())) {
            ParameterStore.StoredArray a = store.getArray(name);
            arrays.put(name, new Tensor(a.shape(), a.data()));
        }
        ModelFile.write(file, task, meta, arrays);
    }

    /**
     * Writes a store read by {@link #load} back to a model file (atomically), its {@code about} metadata kept as the
     * descriptive metadata, optionally replaced by {@code about} (null: keep the store's).
     */
    public static void resave(Path file, String task, ParameterStore store, JsonNode about) throws IOException {
        InMemoryParameterStore copy = new InMemoryParameterStore();
        JsonNode kept = about;
        for (String key : store.metadataKeys()) {
            if (key.equals(ABOUT)) {
                kept = about != null ? about : JSON.readTree(store.getMetadata(key));
            } else {
                copy.putMetadata(key, store.getMetadata(key));
            }
        }
        for (String name : store.arrayNames()) {
            copy.putArray(name, store.getArray(name));
        }
        save(file, task, copy, kept);
    }

    /** Reads a model file of the given task into an in-memory store (descriptive metadata under "about"). */
    public static InMemoryParameterStore load(Path file, String task) throws ModelFormatException {
        return toStore(ModelFile.read(file, task));
    }

    /** Reads a model from a stream (e.g. a bundled resource) into an in-memory store. */
    public static InMemoryParameterStore load(InputStream in, String sourceName, String task)
            throws ModelFormatException {
        return toStore(ModelFile.read(in, sourceName, task));
    }

    private static InMemoryParameterStore toStore(LoadedModel m) throws ModelFormatException {
        InMemoryParameterStore store = new InMemoryParameterStore();
        JsonNode meta = m.metadata();
        if (meta != null) {
            var fields = meta.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                store.putMetadata(e.getKey(), e.getValue().toString());
            }
        }
        for (Map.Entry<String, Tensor> e : m.arrays().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != Tensor.DType.FLOAT32) {
                throw new ModelFormatException("model file " + m.sourceName() + ": array '" + e.getKey()
                        + "' is " + t.dtype() + ", model parameters must be float32");
            }
            store.putArray(e.getKey(), new ParameterStore.StoredArray(t.shape(), t.data()));
        }
        return store;
    }
}
