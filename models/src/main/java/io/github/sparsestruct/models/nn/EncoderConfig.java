package io.github.sparsestruct.models.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sizes and regularisation of the shared encoder: word embedding ⊕ case embedding ⊕ character CNN (width-3
 * windows, max pooled) ⊕ (optionally) a learned mix of a frozen pretrained encoder's layers → a stack of
 * bidirectional LSTMs.
 *
 * @param wordDim       word embedding size
 * @param caseDim       case-feature embedding size
 * @param charDim       character embedding size
 * @param charFilters   character CNN filters (the character feature size)
 * @param maxChars      characters kept per form
 * @param lstmHidden    LSTM hidden size per direction
 * @param lstmLayers    number of bidirectional LSTM layers
 * @param inputDropout  dropout rate on the concatenated token features
 * @param lstmDropout   dropout rate on each BiLSTM layer's output
 * @param wordDropout   α of word dropout (a word seen c times becomes unknown with probability α/(α+c))
 * @param minWordCount  frequency cutoff of the word vocabulary
 * @param dataType      "float" (float32, the default) or "double" (for gradient checks)
 * @param pretrained    the frozen pretrained encoder whose learned mix of layers joins the token features (the
 *                      {@code accurate} variant), or null for none
 */
public record EncoderConfig(int wordDim, int caseDim, int charDim, int charFilters, int maxChars, int lstmHidden,
                            int lstmLayers, double inputDropout, double lstmDropout, double wordDropout,
                            int minWordCount, String dataType, PretrainedInput pretrained) {
    /** A configuration without a pretrained encoder. */
    public EncoderConfig(int wordDim, int caseDim, int charDim, int charFilters, int maxChars, int lstmHidden,
                         int lstmLayers, double inputDropout, double lstmDropout, double wordDropout,
                         int minWordCount, String dataType) {
        this(wordDim, caseDim, charDim, charFilters, maxChars, lstmHidden, lstmLayers, inputDropout, lstmDropout,
                wordDropout, minWordCount, dataType, null);
    }

    /** Validates the sizes and rates. */
    public EncoderConfig {
        if (wordDim < 1 || caseDim < 0 || charDim < 1 || charFilters < 0 || maxChars < 1 || lstmHidden < 1
                || lstmLayers < 1 || minWordCount < 1) {
            throw new IllegalArgumentException("encoder sizes must be positive (caseDim and charFilters may be 0): "
                    + "wordDim=" + wordDim + ", caseDim=" + caseDim + ", charDim=" + charDim + ", charFilters="
                    + charFilters + ", maxChars=" + maxChars + ", lstmHidden=" + lstmHidden + ", lstmLayers="
                    + lstmLayers + ", minWordCount=" + minWordCount);
        }
        checkRate("inputDropout", inputDropout);
        checkRate("lstmDropout", lstmDropout);
        if (!(wordDropout >= 0)) {
            throw new IllegalArgumentException("wordDropout must be >= 0, got " + wordDropout);
        }
        type(dataType);
    }

    static void checkRate(String what, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + p);
        }
    }

    /** Parser-sized defaults: word 100, case 8, char 30→50 filters, BiLSTM 3 × 200, dropout 0.33, float32. */
    public static EncoderConfig parserDefaults() {
        return new EncoderConfig(100, 8, 30, 50, 20, 200, 3, 0.33, 0.33, 0.25, 2, "float");
    }

    /** NER-sized defaults: word 100, case 8, char 30→50 filters, BiLSTM 2 × 200, dropout 0.33, float32. */
    public static EncoderConfig nerDefaults() {
        return new EncoderConfig(100, 8, 30, 50, 20, 200, 2, 0.33, 0.33, 0.25, 2, "float");
    }

    /** A small configuration for tests: word 16, case 4, char 8→8, BiLSTM 1 × 16, no dropout. */
    public static EncoderConfig tiny() {
        return new EncoderConfig(16, 4, 8, 8, 12, 16, 1, 0, 0, 0, 1, "float");
    }

    /** The same with other LSTM sizes. */
    public EncoderConfig withLstm(int hidden, int layers) {
        return new EncoderConfig(wordDim, caseDim, charDim, charFilters, maxChars, hidden, layers, inputDropout,
                lstmDropout, wordDropout, minWordCount, dataType, pretrained);
    }

    /** The same with other dropout rates (input, LSTM output, word dropout α). */
    public EncoderConfig withDropout(double input, double lstm, double word) {
        return new EncoderConfig(wordDim, caseDim, charDim, charFilters, maxChars, lstmHidden, lstmLayers, input,
                lstm, word, minWordCount, dataType, pretrained);
    }

    /** The same with another floating-point type ("float" or "double"). */
    public EncoderConfig withDataType(String type) {
        return new EncoderConfig(wordDim, caseDim, charDim, charFilters, maxChars, lstmHidden, lstmLayers,
                inputDropout, lstmDropout, wordDropout, minWordCount, type, pretrained);
    }

    /** The same with a pretrained encoder's layers among the token features (null: none). */
    public EncoderConfig withPretrained(PretrainedInput p) {
        return new EncoderConfig(wordDim, caseDim, charDim, charFilters, maxChars, lstmHidden, lstmLayers,
                inputDropout, lstmDropout, wordDropout, minWordCount, dataType, p);
    }

    /** The ND4J type of {@link #dataType()}. */
    public DataType type() {
        return type(dataType);
    }

    private static DataType type(String name) {
        if ("float".equals(name)) {
            return DataType.FLOAT;
        }
        if ("double".equals(name)) {
            return DataType.DOUBLE;
        }
        throw new IllegalArgumentException("dataType must be \"float\" or \"double\", got " + name);
    }

    /** Size of the token features fed to the first LSTM. */
    public int inputDim() {
        return wordDim + caseDim + charFilters + (pretrained == null ? 0 : pretrained.dim());
    }

    /** Size of the encoder output (both directions). */
    public int outputDim() {
        return 2 * lstmHidden;
    }
}
