package io.github.sparsestruct.models.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded distribution over structures, in int codes only (labels stay in the models): the structures, heaviest
 * first, their weights (summing to 1), the unary marginals, and the solver's figures.
 *
 * <p>Codes: a tag sequence is one tag id per token; a tree the head (0 = root) of each word 1..n; an alignment the
 * target position (−1 = null) of each source word. Marginals are row-major: a sequence's [n, S] tag marginals, a
 * tree's [(n+1), (n+1)] arc marginals (head, dependent), an alignment's [m, n] link marginals.
 *
 * @param structures     the structures, heaviest first (ties: the solver's order)
 * @param weights        their weights, in the same order
 * @param marginals      unary marginals (see above)
 * @param extraMarginals marginals of the additional parts (a sequence's transitions, start and end) where the
 *                       marginals do not come from the listed structures (dense or smoothed decodings), else null
 * @param value          the decoding's objective, as {@code solve} reports it (docs/solve.md): the best score
 *                       ({@link Decoding#MAP}; alignment paths: the least cost), the SparseMAP objective, the
 *                       smoothed maximum (log-partition, DP_Ω); a k-best list gives its best score
 * @param iterations     solver iterations (SparseMAP oracle calls; 0 for a single pass)
 * @param gap            the solver's final duality gap (0 for a single pass)
 * @param converged      whether the solver reached its tolerance (true for a single pass)
 * @param bestProbability the probability that the best structure is right: the Gibbs probability of the MAP
 *                       structure under {@link Decoding#MARGINALS} and {@link Decoding#DP_ENTROPY}; for a calibrated
 *                       {@link Decoding#SPARSEMAP} decode the Gibbs probability of its heaviest structure at the
 *                       marginals temperature (its support weight is no probability); the weight of the best
 *                       structure for a list built otherwise; NaN where the decoding defines none
 *                       ({@link Decoding#DP_L2}). Calibrated decoders raise it to their exponent
 *                       ({@link Calibration#exponent})
 */
public record SparseDistribution(List<int[]> structures, double[] weights, double[] marginals, double[] extraMarginals,
                                 double value, int iterations, double gap, boolean converged,
                                 double bestProbability) {
    /** A distribution whose best structure's probability is its weight. */
    public SparseDistribution(List<int[]> structures, double[] weights, double[] marginals, double[] extraMarginals,
                              double value, int iterations, double gap, boolean converged) {
        this(structures, weights, marginals, extraMarginals, value, iterations, gap, converged, weights[0]);
    }

    /** This distribution with another best-structure probability (a calibrated one). */
    public SparseDistribution withBestProbability(double p) {
        return new SparseDistribution(structures, weights, marginals, extraMarginals, value, iterations, gap, converged,
                p);
    }

    /** The heaviest structure. */
    public int[] best() {
        return structures.get(0);
    }

    /** The number of structures. */
    public int size() {
        return structures.size();
    }

    /**
     * The distribution's heaviest structures, renormalised (see {@link #keepHeaviest(double[], int, double)});
     * marginals, solver figures and {@link #bestProbability()} stay those of the whole distribution.
     */
    public SparseDistribution keepHeaviest(int maxAlternatives, double minWeight) {
        Kept k = keepHeaviest(weights, maxAlternatives, minWeight);
        List<int[]> s = new ArrayList<>(k.indices().length);
        for (int i : k.indices()) {
            s.add(structures.get(i));
        }
        return new SparseDistribution(List.copyOf(s), k.weights(), marginals, extraMarginals, value, iterations, gap,
                converged, bestProbability);
    }

    /**
     * What {@link #keepHeaviest(double[], int, double)} kept.
     *
     * @param indices the kept positions, in order
     * @param weights their weights divided by the kept weights' sum
     */
    public record Kept(int[] indices, double[] weights) {
    }

    /**
     * Keep-the-heaviest-and-renormalise, the one rule every analyzer applies to a decoded list: of weights listed
     * heaviest first, the first always, then each following one while fewer than {@code maxAlternatives} are kept, if
     * it weighs at least {@code minWeight}; the kept weights are divided by their sum.
     *
     * @param weights         weights, heaviest first (at least one)
     * @param maxAlternatives the most to keep (the first is kept even when this is below 1)
     * @param minWeight       the lightest weight kept after the first
     */
    public static Kept keepHeaviest(double[] weights, int maxAlternatives, double minWeight) {
        int[] idx = new int[weights.length];
        int kept = 0;
        for (int i = 0; i < weights.length; i++) {
            if (kept == 0 || (kept < maxAlternatives && weights[i] >= minWeight)) {
                idx[kept++] = i;
            }
        }
        double total = 0;
        for (int k = 0; k < kept; k++) {
            total += weights[idx[k]];
        }
        double[] out = new double[kept];
        for (int k = 0; k < kept; k++) {
            out[k] = weights[idx[k]] / total;
        }
        return new Kept(Arrays.copyOf(idx, kept), out);
    }
}
