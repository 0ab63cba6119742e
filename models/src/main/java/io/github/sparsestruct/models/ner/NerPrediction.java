package io.github.sparsestruct.models.ner;

import java.util.List;

/**
 * The decoding of one sentence.
 *
 * @param tags         the best IOB2 tag sequence
 * @param alternatives weighted tag sequences, heaviest first, weights summing to 1 (several only in
 *                     {@link NerDecode#SPARSEMAP}; otherwise the best sequence with weight 1)
 * @param marginals    per-token tag marginals [T][S], columns in the order of {@link NerModel#tags()}
 */
public record NerPrediction(String[] tags, List<WeightedTags> alternatives, double[][] marginals) {
    /**
     * A tag sequence with its weight.
     *
     * @param tags   IOB2 tags
     * @param weight its weight in the sparse distribution
     */
    public record WeightedTags(String[] tags, double weight) {
    }
}
