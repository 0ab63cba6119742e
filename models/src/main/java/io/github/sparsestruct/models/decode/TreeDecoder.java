package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.map.Eisner;
import io.github.sparsestruct.inference.map.InsideOutside;
import io.github.sparsestruct.inference.map.MatrixTree;
import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes dependency trees from arc scores [(n+1), (n+1)] (row = head, column = dependent, position 0 the root):
 * non-projective (maximum arborescence, matrix-tree theorem) or projective (Eisner, inside-outside), with a single
 * root word or not. Structures are the head of each word 1..n; marginals [(n+1), (n+1)].
 */
public final class TreeDecoder extends StructureDecoder {
    /** The decodings of trees. */
    public static final Set<Decoding> DECODINGS = Set.of(Decoding.MAP, Decoding.SPARSEMAP, Decoding.MARGINALS);

    private final boolean projective;
    private final boolean singleRoot;
    /** Polytopes per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, TreePolytope>> trees = ThreadLocal.withInitial(HashMap::new);

    /** A decoder of single-root non-projective trees whose {@link Decoding#SPARSEMAP} uses these options. */
    public TreeDecoder(SparseMapOptions options) {
        this(false, true, options);
    }

    /**
     * A tree decoder.
     *
     * @param projective whether trees are projective
     * @param singleRoot whether exactly one word hangs from the root
     * @param options    the options of {@link Decoding#SPARSEMAP}
     */
    public TreeDecoder(boolean projective, boolean singleRoot, SparseMapOptions options) {
        super(DECODINGS, options);
        this.projective = projective;
        this.singleRoot = singleRoot;
    }

    /**
     * Decodes one sentence of {@code n} words with this decoder's calibration ({@link #calibration(Calibration)}:
     * marginals at their temperature, SparseMAP with this decoder's options and γ times its temperature; the best
     * tree's probability is its Gibbs probability at the marginals temperature, {@link #gibbsProbability}, for both).
     *
     * @param eta arc scores [(n+1), (n+1)], row-major
     */
    public SparseDistribution decode(int n, double[] eta, Decoding mode) {
        SparseDistribution d = decode(n, eta, mode, temperature(mode), calibratedSolver());
        if (mode == Decoding.SPARSEMAP) {
            d = d.withBestProbability(gibbsProbability(n, eta, d.best()));
        }
        return withCalibratedBest(d, mode);
    }

    /**
     * The Gibbs probability of a tree at the calibrated temperature T of {@link Decoding#MARGINALS}:
     * exp((score − T·log Σ exp(score'/T)) / T), what a SparseMAP decode reports as its best tree's probability (its
     * weight in the sparse support is no probability: a support of one tree has weight 1).
     *
     * @param heads heads of words 1..n
     */
    public double gibbsProbability(int n, double[] eta, int[] heads) {
        int nn = n + 1;
        double t = temperature(Decoding.MARGINALS);
        double score = 0;
        for (int m = 1; m < nn; m++) {
            score += eta[heads[m - 1] * nn + m];
        }
        // the log-partition alone: no marginals (MatrixTree skips the inverse)
        double logZ = projective ? InsideOutside.logPartition(n, eta, singleRoot, t, null)
                : MatrixTree.logPartition(n, eta, singleRoot, t, null);
        return Distributions.gibbsProbability(score, logZ, t);
    }

    /**
     * Decodes one sentence of {@code n} words with a given temperature and SparseMAP solver. When every tree scores
     * −∞ the value is −∞ and the listed structure undefined (SparseMAP fails instead).
     *
     * @param eta       arc scores [(n+1), (n+1)], row-major
     * @param gamma     the temperature of {@link Decoding#MARGINALS} (SparseMAP's is in its solver's options)
     * @param sparseMap the solver of {@link Decoding#SPARSEMAP}
     */
    public SparseDistribution decode(int n, double[] eta, Decoding mode, double gamma, SparseMapSolver sparseMap) {
        int nn = n + 1;
        double[] marg = new double[nn * nn];
        if (check(mode) == Decoding.SPARSEMAP) {
            SparseMapResult r = sparseMap.solve(polytope(n), eta, null);
            System.arraycopy(r.u(), 0, marg, 0, marg.length);
            return Distributions.fromSupport(r, marg);
        }
        int[] heads = new int[nn];
        double value = projective ? Eisner.decode(n, eta, singleRoot, heads)
                : MaxArborescence.decode(n, eta, singleRoot, heads);
        if (mode == Decoding.MAP) {
            for (int m = 1; m < nn && value != Double.NEGATIVE_INFINITY; m++) {
                marg[heads[m] * nn + m] = 1;
            }
            return Distributions.single(Arrays.copyOfRange(heads, 1, nn), marg, null, value);
        }
        double logZ = projective ? InsideOutside.logPartition(n, eta, singleRoot, gamma, marg)
                : MatrixTree.logPartition(n, eta, singleRoot, gamma, marg);
        return Distributions.single(Arrays.copyOfRange(heads, 1, nn), marg, null, logZ,
                Distributions.gibbsProbability(value, logZ, gamma));
    }

    /**
     * The {@code k} highest-scoring trees (Lawler–Murty with the tree oracle; at least one), weighted by the Gibbs
     * distribution restricted to the list (at the calibrated temperature of {@link Decoding#MARGINALS}); arc
     * marginals are those of the weighted list.
     */
    public SparseDistribution kBest(int n, double[] eta, int k) {
        int nn = n + 1;
        List<KBest.Scored> list = KBest.kBest(new TreePolytope(n, projective, singleRoot), eta, null, Math.max(1, k));
        double[] w = Distributions.gibbs(list, temperature(Decoding.MARGINALS));
        List<int[]> codes = new ArrayList<>(w.length);
        double[] marg = new double[nn * nn];
        for (int i = 0; i < w.length; i++) {
            int[] h = list.get(i).structure().code();
            codes.add(h);
            for (int m = 1; m < nn; m++) {
                marg[h[m - 1] * nn + m] += w[i];
            }
        }
        return Distributions.list(list, codes, w, marg);
    }

    private TreePolytope polytope(int n) {
        return trees.get().computeIfAbsent(n, len -> new TreePolytope(len, projective, singleRoot));
    }
}
