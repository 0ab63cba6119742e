package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.nn.Adam;
import io.github.sparsestruct.models.nn.EncoderConfig;

/**
 * Configuration of the alignment model.
 *
 * @param encoder   the shared encoder's sizes
 * @param pairDim   size of the projection feeding the bilinear pair scorer
 * @param lexHidden hidden units of the MLP on the lexical pair features
 * @param loss      the training loss
 * @param decoder   the structures trained (and the default decoder at prediction)
 * @param optimizer Adam settings
 * @param possibleTargets train towards the sure <em>and</em> the possible gold links (sure ones preferred where the
 *                  structures cannot hold both), as the alignment error rate rewards; false: the sure links only
 *                  (model files written before this option read as false)
 */
public record AlignConfig(EncoderConfig encoder, int pairDim, int lexHidden, AlignLoss loss, AlignDecoder decoder,
                          Adam.Config optimizer, boolean possibleTargets) {
    /** A configuration that trains towards the sure links only. */
    public AlignConfig(EncoderConfig encoder, int pairDim, int lexHidden, AlignLoss loss, AlignDecoder decoder,
                       Adam.Config optimizer) {
        this(encoder, pairDim, lexHidden, loss, decoder, optimizer, false);
    }

    /** Validates the combination. */
    public AlignConfig {
        if (pairDim < 1 || lexHidden < 1) {
            throw new IllegalArgumentException("pairDim and lexHidden must be positive, got " + pairDim + " and "
                    + lexHidden);
        }
        if (loss == AlignLoss.DP_L2 && decoder == AlignDecoder.MATCHING) {
            throw new IllegalArgumentException("the dp_l2 loss needs the sequential decoder (there is no dynamic "
                    + "programme over matchings); use --decoder sequential or --loss sparsemap");
        }
    }

    /** A small encoder for speed: word 50, case 4, char 16→30 filters, one BiLSTM layer of 100; dropout 0.2. */
    public static EncoderConfig encoderDefaults() {
        return new EncoderConfig(50, 4, 16, 30, 16, 100, 1, 0.2, 0.2, 0.25, 2, "float");
    }

    /** Defaults: {@link #encoderDefaults()}, pair projection 64, lexical MLP 16, SparseMAP, matching, Adam defaults. */
    public static AlignConfig defaults() {
        return new AlignConfig(encoderDefaults(), 64, 16, AlignLoss.SPARSEMAP, AlignDecoder.MATCHING,
                Adam.Config.defaults());
    }

    /** The same with another loss and decoder. */
    public AlignConfig with(AlignLoss l, AlignDecoder d) {
        return new AlignConfig(encoder, pairDim, lexHidden, l, d, optimizer, possibleTargets);
    }

    /** The same with another encoder. */
    public AlignConfig withEncoder(EncoderConfig e) {
        return new AlignConfig(e, pairDim, lexHidden, loss, decoder, optimizer, possibleTargets);
    }

    /** The same with other optimizer settings. */
    public AlignConfig withOptimizer(Adam.Config o) {
        return new AlignConfig(encoder, pairDim, lexHidden, loss, decoder, o, possibleTargets);
    }

    /** The same, training towards the possible links as well or not. */
    public AlignConfig withPossibleTargets(boolean p) {
        return new AlignConfig(encoder, pairDim, lexHidden, loss, decoder, optimizer, p);
    }
}
