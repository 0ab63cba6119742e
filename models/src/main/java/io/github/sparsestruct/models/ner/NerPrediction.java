package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.decode.Decoding;
import java.util.List;

/**
 * The decoding of one sentence.
 *
 * @param tags         the best IOB2 tag sequence
 * @param alternatives weighted tag sequences, heaviest first, weights summing to 1 (several only in
 *                     {@link Decoding#SPARSEMAP}; otherwise the best sequence with weight 1)
 * @param marginals    per-token tag marginals [T][S], columns in the order of {@link NerModel#tags()}
 * @param spans        candidate entities with their marginal probability under the decoded distribution (the summed
 *                     weight of the alternatives holding the span for {@code map} and {@code sparsemap}; the exact
 *                     span probability of the Markov path distribution for {@code marginals} and {@code dp_l2}),
 *                     those of probability at least {@link #MIN_SPAN_WEIGHT}, heaviest first
 * @param bestProbability the probability of the best tag sequence under the decoded distribution (see
 *                     {@link io.github.sparsestruct.models.decode.SparseDistribution#bestProbability()}; NaN for
 *                     {@code dp_l2})
 */
public record NerPrediction(String[] tags, List<WeightedTags> alternatives, double[][] marginals,
                            List<WeightedSpan> spans, double bestProbability) {
    /** A prediction whose best sequence's probability is its weight. */
    public NerPrediction(String[] tags, List<WeightedTags> alternatives, double[][] marginals,
                         List<WeightedSpan> spans) {
        this(tags, alternatives, marginals, spans, alternatives.get(0).weight());
    }

    /** Spans lighter than this are not listed. */
    public static final double MIN_SPAN_WEIGHT = 1e-4;

    /**
     * A tag sequence with its weight.
     *
     * @param tags   IOB2 tags
     * @param weight its weight in the sparse distribution
     */
    public record WeightedTags(String[] tags, double weight) {
    }

    /**
     * A candidate entity with its marginal probability.
     *
     * @param start  first token, 0-based
     * @param end    one past the last token
     * @param type   entity type
     * @param weight probability that exactly this span is an entity of this type
     */
    public record WeightedSpan(int start, int end, String type, double weight) {
    }
}
