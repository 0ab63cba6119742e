package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.Json;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;

/**
 * The NER model in a parameter store: kind {@code ner}, configuration and vocabularies ({@link ModelHeader}), the
 * gazetteer and word vectors where the model has them, the tag set, then the network's parameters.
 */
public final class NerModelCodec {
    private static final String KIND = "ner";
    private static final String PREFIX = "ner";
    private static final String TAGS = "ner/tags";

    private NerModelCodec() {
    }

    /** Writes a model. */
    public static void save(NerModel m, ParameterStore store) {
        ModelHeader.write(store, KIND, PREFIX, m.config(), m.features());
        if (m.gazetteer() != null) {
            store.putMetadata(NerModel.GAZ_KEY, Json.write(m.gazetteer().text()));
        }
        if (m.vectors() != null) {
            m.vectors().save(store, PREFIX);
        }
        ModelHeader.putVocabulary(store, TAGS, m.tagVocabulary());
        ModelHeader.putCalibration(store, PREFIX, m.calibration());
        m.network().save(store);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no NER model or misses parameters
     */
    public static NerModel load(ParameterStore store) {
        NerConfig cfg = ModelHeader.read(store, KIND, "a NER model", PREFIX, NerConfig.class);
        TokenFeaturizer f = ModelHeader.features(store, PREFIX, cfg.encoder());
        String gaz = store.getMetadata(NerModel.GAZ_KEY);
        Gazetteer g = gaz == null ? null : Gazetteer.parse(Json.read(gaz, String.class));
        WordVectors v = WordVectors.load(store, PREFIX);
        NerModel m = new NerModel(cfg, f, g, v, ModelHeader.vocabulary(store, TAGS), 0);
        m.loadParameters(store);
        m.calibrate(ModelHeader.calibration(store, PREFIX));
        return m;
    }

    /** Replaces the calibration of the model held in {@code store} (see {@link ModelHeader#recalibrate}). */
    public static void recalibrate(ParameterStore store, io.github.sparsestruct.models.decode.Calibration c) {
        ModelHeader.recalibrate(store, PREFIX, c);
    }

    /**
     * Sets the precision ({@code fp32} or {@code int8}) at which the NER model held in {@code store} runs its pretrained
     * encoder (see {@link io.github.sparsestruct.models.format.ModelHeader#setPretrainedPrecision}).
     */
    public static void setPretrainedPrecision(ParameterStore store, String precision) {
        io.github.sparsestruct.models.format.ModelHeader.setPretrainedPrecision(store, PREFIX, precision);
    }
}
