package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import java.util.Set;

/**
 * Decodes one-to-one matchings of min(m, k) pairs from scores [m, k] ({@link MatchingPolytope}; the null-aware
 * matchings of word alignment are {@link AlignmentDecoder}'s). Structures are the column of each row (−1: none, when
 * m &gt; k); marginals [m, k]. Only {@link Decoding#MAP} and {@link Decoding#SPARSEMAP}: the partition function of
 * matchings is #P-hard, so there are no exact marginals.
 */
public final class MatchingDecoder extends StructureDecoder {
    /** The decodings of matchings. */
    public static final Set<Decoding> DECODINGS = Set.of(Decoding.MAP, Decoding.SPARSEMAP);

    /** A matching decoder whose {@link Decoding#SPARSEMAP} uses these options. */
    public MatchingDecoder(SparseMapOptions options) {
        super(DECODINGS, options);
    }

    @Override
    public String limitation() {
        return "the partition function of matchings is #P-hard";
    }

    /**
     * Decodes an m × k matching. With {@link Decoding#MAP}, when every matching scores −∞ the value is −∞ and the
     * listed structure undefined (SparseMAP fails instead).
     *
     * @param scores    pair scores [m, k], row-major; −∞ forbids a pair
     * @param sparseMap the solver of {@link Decoding#SPARSEMAP}
     */
    public SparseDistribution decode(int m, int k, double[] scores, Decoding mode, SparseMapSolver sparseMap) {
        if (check(mode) == Decoding.SPARSEMAP) {
            SparseMapResult r = sparseMap.solve(new MatchingPolytope(m, k), scores, null);
            return Distributions.fromSupport(r, r.u().clone());
        }
        int[] col = new int[m];
        double value = LinearAssignment.solve(m, k, scores, col);
        double[] marg = new double[m * k];
        for (int r = 0; r < m; r++) {
            if (col[r] >= 0 && value != Double.NEGATIVE_INFINITY) {
                marg[r * k + col[r]] = 1;
            }
        }
        return Distributions.single(col, marg, null, value);
    }
}
