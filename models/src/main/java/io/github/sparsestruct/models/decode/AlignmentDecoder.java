package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.models.align.MatchingMarginals;
import io.github.sparsestruct.models.align.NullMatchingPolytope;
import io.github.sparsestruct.models.align.SequentialChain;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes word alignments of an m-word source and an n-word target (both non-empty) from pair scores [m, n] and null
 * scores: as partial one-to-one matchings ({@link NullMatchingPolytope}) or sequentially ({@link SequentialChain}:
 * each source word picks a target position or null). Structures are the target of each source word (−1: null);
 * marginals [m, n].
 */
public final class AlignmentDecoder extends StructureDecoder {
    /** The decodings of word alignments. */
    public static final Set<Decoding> DECODINGS = Set.of(Decoding.MAP, Decoding.SPARSEMAP, Decoding.MARGINALS);

    private final ThreadLocal<Map<Integer, ViterbiOmega>> vitEntropy = ThreadLocal.withInitial(HashMap::new);

    /** An alignment decoder whose {@link Decoding#SPARSEMAP} uses these options. */
    public AlignmentDecoder(SparseMapOptions options) {
        super(DECODINGS, options);
    }

    /**
     * Decodes partial one-to-one matchings. {@link Decoding#MARGINALS}: the entropy-regularised relaxation (Sinkhorn
     * on the null-padded square matrix) next to the MAP matching.
     *
     * @param pairs      pair scores [m, n]
     * @param nullSource null scores of the source words [m]
     * @param nullTarget null scores of the target words [n]
     */
    public SparseDistribution matching(int m, int n, double[] pairs, double[] nullSource, double[] nullTarget,
                                       Decoding mode) {
        NullMatchingPolytope poly = new NullMatchingPolytope(m, n);
        double[] eta = poly.pack(pairs, nullSource, nullTarget);
        if (check(mode) == Decoding.SPARSEMAP) {
            return fromSupport(m, n, solver().solve(poly, eta, null), null);
        }
        Structure best = poly.argmax(eta, null);
        if (mode == Decoding.MARGINALS) {
            // the Sinkhorn relaxation has no log-partition to report
            return Distributions.single(best.code(), MatchingMarginals.compute(pairs, nullSource, nullTarget, m, n,
                    200, 1e-6), null, Double.NaN);
        }
        return Distributions.single(best.code(), oneHot(best.code(), n), null, best.score(eta, null));
    }

    /**
     * Decodes sequential alignments. {@link Decoding#MARGINALS}: forward-backward (Vit with negentropy) next to the
     * MAP alignment.
     *
     * @param pairs      pair scores [m, n]
     * @param nullSource null scores of the source words [m]
     * @param trans      binned transition scores ({@link SequentialChain#TRANS})
     * @param start      binned start scores
     * @param end        binned end scores
     */
    public SparseDistribution sequential(int m, int n, double[] pairs, double[] nullSource, double[] trans,
                                         double[] start, double[] end, Decoding mode) {
        SequentialChain chain = new SequentialChain(m, n);
        double[] etaU = chain.unary(pairs, nullSource);
        double[] etaV = chain.extra(trans, start, end);
        if (check(mode) == Decoding.SPARSEMAP) {
            return fromSupport(m, n, solver().solve(chain.polytope(), etaU, etaV), chain);
        }
        Structure bestPath = chain.polytope().argmax(etaU, etaV);
        int[] best = chain.targets(bestPath.code());
        if (mode == Decoding.MAP) {
            return Distributions.single(best, oneHot(best, n), null, bestPath.score(etaU, etaV));
        }
        ViterbiOmega vit = vitEntropy.get().computeIfAbsent(n + 1,
                s -> new ViterbiOmega(SmoothedMax.negEntropy(1.0), s, 64));
        double[] theta = chain.polytope().viterbiPotentials(etaU, etaV);
        double[] grad = new double[theta.length];
        double value = vit.gradient(theta, 0, m, grad, 0);
        double[] gu = new double[etaU.length];
        double[] gv = new double[etaV.length];
        chain.polytope().fromViterbiGradient(grad, gu, gv);
        double[] marg = new double[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(gu, i * (n + 1), marg, i * n, n);
        }
        return Distributions.single(best, marg, null, value);
    }

    private static SparseDistribution fromSupport(int m, int n, SparseMapResult r, SequentialChain chain) {
        double[] marg = new double[m * n];
        SparseDistribution d = Distributions.fromSupport(r, marg,
                s -> chain == null ? s.code().clone() : chain.targets(s.code()));
        for (int q = 0; q < d.size(); q++) {
            int[] targets = d.structures().get(q);
            for (int i = 0; i < m; i++) {
                if (targets[i] >= 0) {
                    marg[i * n + targets[i]] += d.weights()[q];
                }
            }
        }
        return d;
    }

    private static double[] oneHot(int[] best, int n) {
        double[] marg = new double[best.length * n];
        for (int i = 0; i < best.length; i++) {
            if (best[i] >= 0) {
                marg[i * n + best[i]] = 1;
            }
        }
        return marg;
    }
}
