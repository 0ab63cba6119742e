package io.github.sparsestruct.models.align;

import io.github.sparsestruct.models.decode.Decoding;
import java.util.List;

/**
 * The decoded alignment of one sentence pair.
 *
 * @param m            source length
 * @param n            target length
 * @param best         the best alignment (MAP, or the heaviest structure of the SparseMAP support): each source word's
 *                     target, −1 for unaligned
 * @param alternatives the weighted alignments (sum 1), heaviest first; one of weight 1 for map and marginals
 * @param marginals    m·n link marginals, row-major (one-hot of {@code best} for map)
 * @param decoder      the decoder used
 * @param decode       the decoding used
 * @param fallback     true when the pair was too large for the requested decoder / decoding and was decoded with the
 *                     matching MAP instead
 */
public record AlignPrediction(int m, int n, int[] best, List<WeightedAlignment> alternatives, double[] marginals,
                              AlignDecoder decoder, Decoding decode, boolean fallback) {
    /**
     * One alignment with its weight.
     *
     * @param weight  the weight
     * @param targets each source word's target, −1 for unaligned
     */
    public record WeightedAlignment(double weight, int[] targets) {
    }

    /** The links {i, j} of the best alignment. */
    public List<int[]> bestLinks() {
        return links(best);
    }

    /** The links {i, j} whose marginal is at least {@code threshold}, row-major order. */
    public List<int[]> linksAbove(double threshold) {
        List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (marginals[i * n + j] >= threshold - 1e-9) {
                    out.add(new int[] {i, j});
                }
            }
        }
        return out;
    }

    /** Number of word pairs with a marginal above 1e-9. */
    public int nonZeroPairs() {
        int c = 0;
        for (double x : marginals) {
            if (x > 1e-9) {
                c++;
            }
        }
        return c;
    }

    /** The links {i, j} of an alignment given as each source word's target. */
    public static List<int[]> links(int[] targets) {
        List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                out.add(new int[] {i, targets[i]});
            }
        }
        return out;
    }
}
