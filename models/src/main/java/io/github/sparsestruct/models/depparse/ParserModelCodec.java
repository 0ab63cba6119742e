package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;

/**
 * The dependency parser in a parameter store: kind {@code depparse}, configuration and vocabularies
 * ({@link ModelHeader}), the relation and UPOS vocabularies, the calibration, then the network's parameters.
 */
public final class ParserModelCodec {
    private static final String KIND = "depparse";
    private static final String PREFIX = "dep";
    private static final String DEPRELS = "dep/deprels";
    private static final String UPOS = "dep/upos";

    private ParserModelCodec() {
    }

    /** Writes a parser. */
    public static void save(ParserModel m, ParameterStore store) {
        ModelHeader.write(store, KIND, PREFIX, m.config(), m.features());
        ModelHeader.putVocabulary(store, DEPRELS, m.deprelVocabulary());
        ModelHeader.putVocabulary(store, UPOS, m.uposVocabulary());
        ModelHeader.putCalibration(store, PREFIX, m.calibration());
        m.network().save(store);
    }

    /**
     * Reads a parser written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no parser or misses parameters
     */
    public static ParserModel load(ParameterStore store) {
        ParserConfig cfg = ModelHeader.read(store, KIND, "a dependency parser", PREFIX, ParserConfig.class);
        TokenFeaturizer f = ModelHeader.features(store, PREFIX, cfg.encoder());
        ParserModel m = new ParserModel(cfg, f, ModelHeader.vocabulary(store, DEPRELS),
                ModelHeader.vocabulary(store, UPOS), 0);
        m.loadParameters(store);
        m.calibrate(ModelHeader.calibration(store, PREFIX));
        return m;
    }

    /** Replaces the calibration of the model held in {@code store} (see {@link ModelHeader#recalibrate}). */
    public static void recalibrate(ParameterStore store, io.github.sparsestruct.models.decode.Calibration c) {
        ModelHeader.recalibrate(store, PREFIX, c);
    }

    /**
     * Sets the precision ({@code fp32} or {@code int8}) at which the parser held in {@code store} runs its pretrained
     * encoder (see {@link io.github.sparsestruct.models.format.ModelHeader#setPretrainedPrecision}).
     */
    public static void setPretrainedPrecision(ParameterStore store, String precision) {
        io.github.sparsestruct.models.format.ModelHeader.setPretrainedPrecision(store, PREFIX, precision);
    }
}
