package io.github.sparsestruct.models.eval;

import java.util.List;

/**
 * Accumulates word-alignment figures over sentence pairs: precision, recall and F1 of the predicted links against the
 * gold sure links (micro-averaged over all links of the data; a predicted link counts as correct when it is a sure
 * link, so one-to-one decoders lose recall on one-to-many gold), the support size of the decoded distributions, and
 * the share of word pairs with a non-zero marginal.
 */
public final class AlignmentEvaluator {
    private PrfCounts links = PrfCounts.ZERO;
    private long pairs;
    private long supportSum;
    private int supportMax;
    private long nonZero;
    private long cells;

    /**
     * Adds one pair.
     *
     * @param gold        m·n sure-link indicator, row-major
     * @param goldLinks   number of sure links
     * @param predicted   the predicted links {i, j}
     * @param n           target length
     * @param supportSize structures in the decoded distribution (1 for map; 0 when not defined, e.g. dense marginals)
     * @param nonZeroPairs word pairs with a non-zero marginal
     */
    public void add(boolean[] gold, int goldLinks, List<int[]> predicted, int n, int supportSize, int nonZeroPairs) {
        int ok = 0;
        for (int[] l : predicted) {
            ok += gold[l[0] * n + l[1]] ? 1 : 0;
        }
        links = links.plus(goldLinks, predicted.size(), ok);
        pairs++;
        supportSum += supportSize;
        supportMax = Math.max(supportMax, supportSize);
        nonZero += nonZeroPairs;
        cells += gold.length;
    }

    /** The figures so far. */
    public AlignmentResult result() {
        return new AlignmentResult(links, pairs, pairs == 0 || supportSum == 0 ? Double.NaN
                : (double) supportSum / pairs, supportMax, cells == 0 ? Double.NaN : (double) nonZero / cells);
    }
}
