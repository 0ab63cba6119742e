package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;

/**
 * Configuration of the NER model.
 *
 * @param encoder       the shared encoder's sizes
 * @param loss          the training loss
 * @param costAugmented add the Hamming cost to the scores inside SparseMAP and DP-ℓ2 losses (margin versions)
 * @param optimizer     Adam settings
 */
public record NerConfig(EncoderConfig encoder, NerLoss loss, boolean costAugmented, Adam.Config optimizer) {
    /** Defaults: {@link EncoderConfig#nerDefaults()}, CRF loss, Adam defaults. */
    public static NerConfig defaults() {
        return new NerConfig(EncoderConfig.nerDefaults(), NerLoss.CRF, false, Adam.Config.defaults());
    }

    /** The same with another loss. */
    public NerConfig withLoss(NerLoss l) {
        return new NerConfig(encoder, l, costAugmented, optimizer);
    }

    /** The same with another encoder. */
    public NerConfig withEncoder(EncoderConfig e) {
        return new NerConfig(e, loss, costAugmented, optimizer);
    }

    /** The same with other optimizer settings. */
    public NerConfig withOptimizer(Adam.Config o) {
        return new NerConfig(encoder, loss, costAugmented, o);
    }
}
