package io.github.sparsestruct.models.depparse;

import io.github.sparsestruct.models.decode.Decoding;
import java.util.List;

/**
 * The parse of one sentence of n words.
 *
 * @param heads        the best tree: {@code heads[i]} is the head of word i+1 (0 = root)
 * @param deprels      the relation of each word to its head in the best tree
 * @param upos         predicted universal POS tags
 * @param trees        weighted trees, heaviest first, weights summing to 1 (several only in
 *                     {@link Decoding#SPARSEMAP}; otherwise the best tree with weight 1)
 * @param arcMarginals (n+1)×(n+1) arc weights, {@code arcMarginals[h][m]} for head h of word m (column 0 and the
 *                     diagonal are 0)
 * @param bestProbability the probability of the best tree under the decoded distribution (see
 *                     {@link io.github.sparsestruct.models.decode.SparseDistribution#bestProbability()})
 */
public record ParsePrediction(int[] heads, String[] deprels, String[] upos, List<WeightedTree> trees,
                              double[][] arcMarginals, double bestProbability) {
    /** A parse whose best tree's probability is its weight. */
    public ParsePrediction(int[] heads, String[] deprels, String[] upos, List<WeightedTree> trees,
                           double[][] arcMarginals) {
        this(heads, deprels, upos, trees, arcMarginals, trees.get(0).weight());
    }

    /**
     * A labelled tree with its weight.
     *
     * @param heads   heads of words 1..n (0 = root)
     * @param deprels relations
     * @param weight  its weight in the sparse distribution
     */
    public record WeightedTree(int[] heads, String[] deprels, double weight) {
    }
}
