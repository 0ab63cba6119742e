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
 * @param headHidden    width of a tanh hidden layer between the encoder (and the gazetteer and word-vector features) and the tag
 *                      scores, or 0 for a linear tag layer (models written before this setting existed read as 0)
 */
public record NerConfig(EncoderConfig encoder, NerLoss loss, boolean costAugmented, Adam.Config optimizer,
                        int headHidden) {
    /** Checks the hidden width. */
    public NerConfig {
        if (headHidden < 0) {
            throw new IllegalArgumentException("head hidden width must be 0 (linear) or positive, not " + headHidden);
        }
    }

    /** Defaults: {@link EncoderConfig#nerDefaults()}, CRF loss, Adam defaults, a linear tag layer. */
    public static NerConfig defaults() {
        return new NerConfig(EncoderConfig.nerDefaults(), NerLoss.CRF, false, Adam.Config.defaults(), 0);
    }

    /** The same with a hidden layer of this width in the tag head (0: linear). */
    public NerConfig withHeadHidden(int width) {
        return new NerConfig(encoder, loss, costAugmented, optimizer, width);
    }

    /** The same with another loss. */
    public NerConfig withLoss(NerLoss l) {
        return new NerConfig(encoder, l, costAugmented, optimizer, headHidden);
    }

    /** The same with another encoder. */
    public NerConfig withEncoder(EncoderConfig e) {
        return new NerConfig(e, loss, costAugmented, optimizer, headHidden);
    }

    /** The same with other optimizer settings. */
    public NerConfig withOptimizer(Adam.Config o) {
        return new NerConfig(encoder, loss, costAugmented, o, headHidden);
    }
}
