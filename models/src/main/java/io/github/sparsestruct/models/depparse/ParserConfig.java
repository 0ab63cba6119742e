package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;

/**
 * Configuration of the biaffine parser.
 *
 * @param encoder       the shared encoder's sizes
 * @param arcDim        size of the head / dependent MLPs of the arc scorer
 * @param labelDim      size of the head / dependent MLPs of the label scorer
 * @param mlpDropout    dropout rate on the MLP outputs
 * @param loss          the arc loss
 * @param costAugmented add the Hamming cost inside the SparseMAP arc loss (m-SparseMAP); the hinge always has it
 * @param sparseMapIterations most active-set iterations of the SparseMAP loss in training (an early-stopped solve
 *                      still gives a point of the polytope, so prediction − target stays a usable gradient; it bounds
 *                      the cost of the first batches, whose near-uniform scores have large supports); decoding always
 *                      solves to convergence
 * @param optimizer     Adam settings
 */
public record ParserConfig(EncoderConfig encoder, int arcDim, int labelDim, double mlpDropout, ArcLoss loss,
                           boolean costAugmented, int sparseMapIterations, Adam.Config optimizer) {
    /** Validates sizes and rates. */
    public ParserConfig {
        if (arcDim < 1 || labelDim < 1) {
            throw new IllegalArgumentException("arcDim and labelDim must be positive, got " + arcDim + " and "
                    + labelDim);
        }
        if (sparseMapIterations < 1) {
            throw new IllegalArgumentException("sparseMapIterations must be positive, got " + sparseMapIterations);
        }
        if (!(mlpDropout >= 0 && mlpDropout < 1)) {
            throw new IllegalArgumentException("mlpDropout must be in [0, 1), got " + mlpDropout);
        }
    }

    /**
     * Defaults: {@link EncoderConfig#parserDefaults()}, arc MLP 256, label MLP 64, dropout 0.33, SparseMAP (at most
     * 50 active-set iterations in training). Sized for a 2-core CPU: see the throughput notes in the issue.
     */
    public static ParserConfig defaults() {
        return new ParserConfig(EncoderConfig.parserDefaults(), 256, 64, 0.33, ArcLoss.SPARSEMAP, false, 50,
                Adam.Config.defaults());
    }

    /** The same with another arc loss. */
    public ParserConfig withLoss(ArcLoss l) {
        return new ParserConfig(encoder, arcDim, labelDim, mlpDropout, l, costAugmented, sparseMapIterations,
                optimizer);
    }

    /** The same with another encoder. */
    public ParserConfig withEncoder(EncoderConfig e) {
        return new ParserConfig(e, arcDim, labelDim, mlpDropout, loss, costAugmented, sparseMapIterations, optimizer);
    }

    /** The same with other MLP sizes and dropout. */
    public ParserConfig withMlp(int arc, int label, double dropout) {
        return new ParserConfig(encoder, arc, label, dropout, loss, costAugmented, sparseMapIterations, optimizer);
    }

    /** The same with other optimizer settings. */
    public ParserConfig withOptimizer(Adam.Config o) {
        return new ParserConfig(encoder, arcDim, labelDim, mlpDropout, loss, costAugmented, sparseMapIterations, o);
    }
}
