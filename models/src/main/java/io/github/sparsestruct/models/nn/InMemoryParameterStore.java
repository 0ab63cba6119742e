package io.github.sparsestruct.models.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link ParameterStore} in two insertion-ordered maps (not thread-safe). */
public final class InMemoryParameterStore implements ParameterStore {
    private final Map<String, StoredArray> arrays = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    @Override
    public void putArray(String name, StoredArray array) {
        arrays.put(name, array);
    }

    @Override
    public StoredArray getArray(String name) {
        return arrays.get(name);
    }

    @Override
    public Set<String> arrayNames() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    @Override
    public void putMetadata(String key, String json) {
        metadata.put(key, json);
    }

    @Override
    public String getMetadata(String key) {
        return metadata.get(key);
    }

    @Override
    public Set<String> metadataKeys() {
        return Collections.unmodifiableSet(metadata.keySet());
    }
}
