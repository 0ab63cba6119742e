package io.github.sparsestruct.models.nn;

import java.util.List;

/**
 * A source of pretrained token vectors for {@link TokenFeaturizer#featurize}: the frozen encoder at prediction
 * time, a precomputed table in training. The parser's {@link TokenFeaturizer#ROOT} pseudo-token gets zeros.
 */
public interface TokenVectors {
    /** Floats per token (layers × dim). */
    int width();

    /**
     * The vectors of a batch, row-major [B, T, width], zero at padding and at a leading ROOT.
     *
     * @param sentences the batch's forms (a parser's start with ROOT)
     * @param t         the padded length
     */
    float[] batch(List<String[]> sentences, int t);
}
