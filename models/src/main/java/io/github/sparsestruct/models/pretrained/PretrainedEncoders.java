package io.github.sparsestruct.models.pretrained;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds pretrained encoders on the classpath and shares one open encoder per identifier and precision within a
 * process (so that a pipeline's NER and parser models pay for one encoder; see {@code PretrainedFeatures}).
 */
public final class PretrainedEncoders {
    private static final Map<String, PretrainedEncoder> OPEN = new ConcurrentHashMap<>();

    private PretrainedEncoders() {
    }

    /**
     * The shared encoder of this identifier and precision, opened on first use.
     *
     * @throws IllegalStateException when no module on the classpath provides it
     */
    public static PretrainedEncoder shared(String id, String precision) {
        return OPEN.computeIfAbsent(id + "@" + precision, k -> provider(id).open(precision));
    }

    /** The provider of an identifier. */
    public static PretrainedEncoderProvider provider(String id) {
        List<String> seen = new ArrayList<>();
        for (PretrainedEncoderProvider p : ServiceLoader.load(PretrainedEncoderProvider.class)) {
            if (p.id().equals(id)) {
                return p;
            }
            seen.add(p.id());
        }
        throw new IllegalStateException("the pretrained encoder '" + id + "' is not on the classpath (found "
                + (seen.isEmpty() ? "none" : String.join(", ", seen)) + "); the accurate models need the module "
                + "io.github.sparsestruct:sparsestruct-encoder-bert");
    }
}
