package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.format.ModelHeader;
import io.github.sparsestruct.models.nn.ParameterStore;
import io.github.sparsestruct.models.nn.TokenFeaturizer;

/**
 * The word aligner in a parameter store: kind {@code align}, configuration and vocabularies ({@link ModelHeader}),
 * then the network's parameters.
 */
public final class AlignModelCodec {
    private static final String KIND = "align";
    private static final String PREFIX = "align";

    private AlignModelCodec() {
    }

    /** Writes a model. */
    public static void save(AlignModel m, ParameterStore store) {
        ModelHeader.write(store, KIND, PREFIX, m.config(), m.features());
        m.network().save(store);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IllegalArgumentException when the store holds no alignment model or misses parameters
     */
    public static AlignModel load(ParameterStore store) {
        AlignConfig cfg = ModelHeader.read(store, KIND, "an alignment model", PREFIX, AlignConfig.class);
        TokenFeaturizer f = ModelHeader.features(store, PREFIX, cfg.encoder());
        AlignModel m = new AlignModel(cfg, f, 0);
        m.loadParameters(store);
        return m;
    }
}
