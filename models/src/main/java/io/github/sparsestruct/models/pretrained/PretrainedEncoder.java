package io.github.sparsestruct.models.pretrained;

import java.util.List;

/**
 * A frozen pretrained sentence encoder (the {@code accurate} variant's BERT) that gives each token of a pre-tokenised
 * sentence a vector per output layer. Implementations live in their own module (found with
 * {@link PretrainedEncoders}) so that users of the fast variant do not pull the encoder's runtime and weights.
 * Implementations are thread-safe.
 */
public interface PretrainedEncoder extends AutoCloseable {
    /** The encoder's identifier as recorded in model files, for example {@code bert-base-cased}. */
    String id();

    /** Number of layers returned per token. */
    int layers();

    /** Width of each layer's vector. */
    int dim();

    /**
     * The token vectors of each sentence, row-major {@code [n, layers, dim]} (n = the sentence's token count): for
     * each token, the vector of its first word piece in each returned layer, lowest layer first. A sentence of no
     * tokens gives an empty array.
     *
     * @param sentences token forms (the annotation's tokens stay the unit: word pieces never cross them)
     */
    List<float[]> encode(List<String[]> sentences);

    /** Releases the runtime's native resources. */
    @Override
    void close();
}
