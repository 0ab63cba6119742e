package io.github.sparsestruct.models.format;

import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;

/**
 * What every task's model-file codec writes and checks the same way: the kind and version
 * ({@code model = {"kind":K,"version":1}}), the configuration ({@code PREFIX/config}, JSON), the featurizer's
 * vocabularies (under {@code PREFIX}) and label vocabularies.
 */
public final class ModelHeader {
    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = "model";

    private ModelHeader() {
    }

    /** Writes the kind, the configuration and the featurizer. */
    public static void write(ParameterStore store, String kind, String prefix, Object config,
                             TokenFeaturizer features) {
        store.putMetadata(KIND_KEY, "{\"kind\":\"" + kind + "\",\"version\":1}");
        store.putMetadata(prefix + "/config", Json.write(config));
        features.save(store, prefix);
    }

    /**
     * Checks the kind and reads the configuration.
     *
     * @param what the kind in words, for the error ("a NER model")
     * @throws IllegalArgumentException when the store holds another kind of model or misses the metadata
     */
    public static <C> C read(ParameterStore store, String kind, String what, String prefix, Class<C> configType) {
        String held = store.requireMetadata(KIND_KEY);
        if (!held.contains("\"" + kind + "\"")) {
            throw new IllegalArgumentException("parameter store holds " + held + ", not " + what);
        }
        return Json.read(store.requireMetadata(prefix + "/config"), configType);
    }

    /** The featurizer written by {@link #write}. */
    public static TokenFeaturizer features(ParameterStore store, String prefix,
                                           io.github.sparsestruct.models.nn.EncoderConfig encoder) {
        TokenFeaturizer f = features(store, prefix);
        if (encoder.pretrained() != null) {
            f.useVectors(io.github.sparsestruct.models.pretrained.EncoderVectors.lazy(encoder.pretrained()));
        }
        return f;
    }

    /** The featurizer of a model (vocabularies and character limit), without pretrained vectors. */
    public static TokenFeaturizer features(ParameterStore store, String prefix) {
        return TokenFeaturizer.load(store, prefix);
    }

    /** Writes a label vocabulary under {@code key}. */
    public static void putVocabulary(ParameterStore store, String key, Vocabulary v) {
        store.putMetadata(key, v.toJson());
    }

    /** The label vocabulary under {@code key}. */
    public static Vocabulary vocabulary(ParameterStore store, String key) {
        return Vocabulary.fromJson(store.requireMetadata(key));
    }
}
