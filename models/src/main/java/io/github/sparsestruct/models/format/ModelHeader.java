package io.github.sparsestruct.models.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import io.github.sparsestruct.models.nn.Vocabulary;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What every task's model-file codec writes and checks the same way: the kind and version
 * ({@code model = {"kind":K,"version":2}}), the configuration ({@code PREFIX/config}, JSON), the featurizer's
 * vocabularies (under {@code PREFIX}), label vocabularies and the calibration ({@code PREFIX/calibration}, from
 * version 2). See {@code models/FORMAT.md}, "Model metadata".
 */
public final class ModelHeader {
    /** Metadata key of the model kind and version. */
    public static final String KIND_KEY = "model";
    /**
     * The model version this build writes and the newest it reads: 1 (no calibration), 2 (adds
     * {@code PREFIX/calibration}). A version-1 model loads uncalibrated.
     */
    public static final int MODEL_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelHeader() {
    }

    /** Writes the kind, the configuration and the featurizer. */
    public static void write(ParameterStore store, String kind, String prefix, Object config,
                             TokenFeaturizer features) {
        store.putMetadata(KIND_KEY, "{\"kind\":\"" + kind + "\",\"version\":" + MODEL_VERSION + "}");
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
        int version = version(held);
        if (version > MODEL_VERSION) {
            throw new IllegalArgumentException("this is " + what + " of version " + version + "; this build reads "
                    + "versions 1 to " + MODEL_VERSION + ": use a newer SparseStruct build");
        }
        return Json.read(store.requireMetadata(prefix + "/config"), configType);
    }

    /** The version in a kind entry ({@code {"kind":K,"version":V}}); 1 when absent. */
    static int version(String kindEntry) {
        try {
            JsonNode v = JSON.readTree(kindEntry).get("version");
            if (v == null) {
                return 1;
            }
            if (!v.isIntegralNumber() || v.intValue() < 1) {
                throw new IllegalArgumentException("model version " + v + " is not a positive integer");
            }
            return v.intValue();
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed model kind entry " + kindEntry, e);
        }
    }

    /**
     * Writes a calibration under {@code PREFIX/calibration} as {@code {"temperatures": {"sparsemap": T, ...}}}
     * (nothing for {@link Calibration#NONE}).
     */
    public static void putCalibration(ParameterStore store, String prefix, Calibration c) {
        if (c.temperatures().isEmpty() && c.exponents().isEmpty()) {
            return;
        }
        store.putMetadata(prefix + "/calibration", calibrationJson(c));
    }

    /** A calibration as {@code {"temperatures": {...}, "structureExponents": {...}}} (the second only when set). */
    static String calibrationJson(Calibration c) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode t = o.putObject("temperatures");
        c.temperatures().forEach((d, v) -> t.put(d.id(), v));
        if (!c.exponents().isEmpty()) {
            ObjectNode e = o.putObject("structureExponents");
            c.exponents().forEach((d, v) -> e.put(d.id(), v));
        }
        return o.toString();
    }

    /**
     * Sets the precision ({@code fp32} or {@code int8}) at which the model held in {@code store} runs its pretrained
     * encoder: the {@code encoder.pretrained.precision} of its configuration ({@code calibrate --pretrained-precision}).
     *
     * @throws IllegalArgumentException when the model reads no pretrained encoder or the precision is unknown
     */
    public static void setPretrainedPrecision(ParameterStore store, String prefix, String precision) {
        if (!"fp32".equals(precision) && !"int8".equals(precision)) {
            throw new IllegalArgumentException("unknown precision '" + precision + "'; expected fp32 or int8");
        }
        String key = prefix + "/config";
        try {
            JsonNode cfg = JSON.readTree(store.requireMetadata(key));
            JsonNode pre = cfg.path("encoder").path("pretrained");
            if (!(pre instanceof ObjectNode o)) {
                throw new IllegalArgumentException("the model reads no pretrained encoder: it has no precision to set");
            }
            o.put("precision", precision);
            store.putMetadata(key, cfg.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed model configuration " + key, e);
        }
    }

    /**
     * Replaces the calibration of a model held in {@code store} (read from a file of any version): writes it under
     * {@code PREFIX/calibration} and marks the model as version {@link #MODEL_VERSION}.
     */
    public static void recalibrate(ParameterStore store, String prefix, Calibration c) {
        String held = store.requireMetadata(KIND_KEY);
        try {
            ObjectNode kind = (ObjectNode) JSON.readTree(held);
            kind.put("version", MODEL_VERSION);
            store.putMetadata(KIND_KEY, kind.toString());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("malformed model kind entry " + held, e);
        }
        store.putMetadata(prefix + "/calibration", calibrationJson(c));
    }

    /**
     * The calibration under {@code PREFIX/calibration}, or {@link Calibration#NONE} when the model has none (every
     * version-1 model).
     *
     * @throws IllegalArgumentException when it names an unknown decoding or a temperature that is not finite and
     *                                  positive
     */
    public static Calibration calibration(ParameterStore store, String prefix) {
        String json = store.getMetadata(prefix + "/calibration");
        if (json == null) {
            return Calibration.NONE;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + prefix + "/calibration: " + e.getMessage(), e);
        }
        JsonNode t = root == null ? null : root.get("temperatures");
        if (t == null || !t.isObject()) {
            throw new IllegalArgumentException(prefix + "/calibration has no \"temperatures\" object");
        }
        JsonNode e = root.get("structureExponents");
        if (e != null && !e.isObject()) {
            throw new IllegalArgumentException(prefix + "/calibration: \"structureExponents\" is not an object");
        }
        return new Calibration(perDecoding(t, prefix, "temperature"),
                e == null ? Map.of() : perDecoding(e, prefix, "structure exponent"));
    }

    private static Map<Decoding, Double> perDecoding(JsonNode t, String prefix, String what) {
        Map<Decoding, Double> m = new EnumMap<>(Decoding.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Decoding d = Decoding.byId(e.getKey()).orElseThrow(() -> new IllegalArgumentException(prefix
                    + "/calibration names an unknown decoding '" + e.getKey() + "'; known: " + Decoding.names()));
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException(prefix + "/calibration: the " + what + " of " + e.getKey()
                        + " is not a number");
            }
            m.put(d, e.getValue().doubleValue());
        }
        return m;
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
