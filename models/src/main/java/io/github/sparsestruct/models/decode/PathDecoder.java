package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.polytope.AlignmentPolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decodes monotone alignment paths from (0, 0) to (NA−1, NB−1) with steps (1, 0), (0, 1), (1, 1) over costs
 * [NA, NB] (lower is better; +∞ forbids a cell): DTW and its smoothed DTW_Ω ({@link AlignmentPolytope}, whose
 * scores are the negated costs). Structures are the path's cells i·NB + j in order; marginals [NA, NB].
 *
 * <p>Values: {@link Decoding#MAP} the least cost; {@link Decoding#SPARSEMAP} the SparseMAP objective on −costs;
 * {@link Decoding#MARGINALS} γ·log Σ exp(−cost/γ) (the Gibbs distribution over paths with scores −cost, = −soft-DTW);
 * {@link Decoding#DP_ENTROPY} and {@link Decoding#DP_L2} DTW_Ω in its min form. Smoothed decodings list the MAP
 * path.
 */
public final class PathDecoder extends StructureDecoder {
    /** The decodings of alignment paths: all of them. */
    public static final Set<Decoding> DECODINGS = Collections.unmodifiableSet(EnumSet.allOf(Decoding.class));

    /** A path decoder whose {@link Decoding#SPARSEMAP} uses these options. */
    public PathDecoder(SparseMapOptions options) {
        super(DECODINGS, options);
    }

    /**
     * Decodes an NA × NB path. Smoothed decodings give an infinite value when every path has infinite cost.
     *
     * @param costs     cell costs [NA, NB], row-major; finite or +∞
     * @param gamma     the temperature of the smoothed decodings (SparseMAP's is in its solver's options)
     * @param sparseMap the solver of {@link Decoding#SPARSEMAP}
     * @throws IllegalArgumentException for {@link Decoding#MAP} or {@link Decoding#SPARSEMAP} when no path has a
     *                                  finite cost
     */
    public SparseDistribution decode(int na, int nb, double[] costs, Decoding mode, double gamma,
                                     SparseMapSolver sparseMap) {
        AlignmentPolytope poly = new AlignmentPolytope(na, nb);
        switch (check(mode)) {
            case MAP -> {
                int[] cells = poly.bestPath(costs);
                if (cells == null) {
                    throw new IllegalArgumentException("no feasible alignment: every path has infinite cost");
                }
                double v = 0;
                double[] marg = new double[na * nb];
                for (int cell : cells) {
                    v += costs[cell];
                    marg[cell] = 1;
                }
                return Distributions.single(cells, marg, null, v);
            }
            case SPARSEMAP -> {
                double[] scores = new double[costs.length];
                for (int i = 0; i < costs.length; i++) {
                    scores[i] = -costs[i];
                }
                SparseMapResult r = sparseMap.solve(poly, scores, null);
                return Distributions.fromSupport(r, r.u().clone());
            }
            default -> {
                SmoothedMax op = mode == Decoding.DP_L2 ? SmoothedMax.squaredL2(gamma) : SmoothedMax.negEntropy(gamma);
                double[] g = new double[costs.length];
                double v = new DtwOmega(op).gradient(costs, na, nb, g);
                int[] best = Double.isInfinite(v) ? new int[0] : poly.bestPath(costs);
                return Distributions.single(best, g, null, mode == Decoding.MARGINALS ? -v : v);
            }
        }
    }
}
