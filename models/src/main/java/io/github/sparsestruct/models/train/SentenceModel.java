package io.github.sparsestruct.models.train;

import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.nn.EncoderConfig;
import io.github.sparsestruct.models.nn.TokenFeaturizer;
import java.util.List;

/**
 * A {@link NetworkModel} that predicts one structure distribution per sentence (the tagger, the parser): the
 * prediction API lives here once; a model says how a batch is predicted.
 *
 * @param <S> the training example
 * @param <C> the configuration
 * @param <P> the prediction of one sentence
 */
public abstract class SentenceModel<S, C, P> extends NetworkModel<S, C> {
    /** See {@link NetworkModel#NetworkModel}. */
    protected SentenceModel(C config, EncoderConfig encoder, TokenFeaturizer features, long seed) {
        super(config, encoder, features, seed);
    }

    /**
     * Predictions of sentences (each at least one token), in input order.
     *
     * @param kBest k per sentence for the k-best baseline (with {@link Decoding#MAP}), or null
     */
    protected abstract List<P> predictBatched(List<String[]> sentences, Decoding mode, int[] kBest);

    /**
     * Predicts sentences (each at least one token).
     *
     * @param sentences word forms per sentence
     * @param mode      how to decode
     * @return one prediction per sentence, in input order
     */
    public List<P> predict(List<String[]> sentences, Decoding mode) {
        return predict(sentences, mode, null);
    }

    /**
     * The k-best baseline: for sentence i, its {@code k[i]} highest-scoring structures (Lawler–Murty with the MAP
     * oracle), weighted by the model's Gibbs distribution restricted to the list (softmax of their scores); marginals
     * are those of the weighted list.
     */
    public List<P> predictKBest(List<String[]> sentences, int[] k) {
        if (k.length != sentences.size()) {
            throw new IllegalArgumentException("need one k per sentence: " + k.length + " for " + sentences.size());
        }
        return predict(sentences, Decoding.MAP, k);
    }

    private List<P> predict(List<String[]> sentences, Decoding mode, int[] kBest) {
        return predictBatched(sentences, mode, kBest);
    }
}
