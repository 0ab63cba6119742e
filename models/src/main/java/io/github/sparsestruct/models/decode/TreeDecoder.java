package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.map.MatrixTree;
import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes single-root non-projective dependency trees from arc scores [(n+1), (n+1)] (row = head, column =
 * dependent, position 0 the root). Structures are the head of each word 1..n; marginals [(n+1), (n+1)].
 */
public final class TreeDecoder extends StructureDecoder {
    /** Polytopes per sentence length, one set per thread (they keep workspaces). */
    private final ThreadLocal<Map<Integer, TreePolytope>> trees = ThreadLocal.withInitial(HashMap::new);

    /** A tree decoder whose {@link Decoding#SPARSEMAP} uses these options. */
    public TreeDecoder(SparseMapOptions options) {
        super(EnumSet.of(Decoding.MAP, Decoding.SPARSEMAP, Decoding.MARGINALS), options);
    }

    /**
     * Decodes one sentence of {@code n} words.
     *
     * @param eta arc scores [(n+1), (n+1)], row-major
     */
    public SparseDistribution decode(int n, double[] eta, Decoding mode) {
        int nn = n + 1;
        double[] marg = new double[nn * nn];
        if (check(mode) == Decoding.SPARSEMAP) {
            SparseMapResult r = solver().solve(polytope(n), eta, null);
            System.arraycopy(r.u(), 0, marg, 0, marg.length);
            return Distributions.fromSupport(r, marg);
        }
        int[] heads = new int[nn];
        MaxArborescence.decode(n, eta, true, heads);
        if (mode == Decoding.MAP) {
            for (int m = 1; m < nn; m++) {
                marg[heads[m] * nn + m] = 1;
            }
        } else {
            MatrixTree.logPartition(n, eta, true, 1.0, marg);
        }
        return Distributions.single(Arrays.copyOfRange(heads, 1, nn), marg, null);
    }

    /**
     * The {@code k} highest-scoring trees (Lawler–Murty with the single-root arborescence oracle; at least one),
     * weighted by the Gibbs distribution restricted to the list; arc marginals are those of the weighted list.
     */
    public SparseDistribution kBest(int n, double[] eta, int k) {
        int nn = n + 1;
        List<KBest.Scored> list = KBest.kBest(new TreePolytope(n, false, true), eta, null, Math.max(1, k));
        double[] w = Distributions.gibbs(list);
        List<int[]> codes = new ArrayList<>(w.length);
        double[] marg = new double[nn * nn];
        for (int i = 0; i < w.length; i++) {
            int[] h = list.get(i).structure().code();
            codes.add(h);
            for (int m = 1; m < nn; m++) {
                marg[h[m - 1] * nn + m] += w[i];
            }
        }
        return new SparseDistribution(List.copyOf(codes), w, marg, null, 0, 0);
    }

    private TreePolytope polytope(int n) {
        return trees.get().computeIfAbsent(n, len -> new TreePolytope(len, false, true));
    }
}
