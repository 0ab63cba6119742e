package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Decodes tag sequences ({@link SequencePolytope}: unary scores [n, S] and packed transition, start and end scores).
 * Structures are tag ids per token; marginals [n, S]. {@link Decoding#MARGINALS} and {@link Decoding#DP_L2} also give
 * the additional parts' marginals (the expected transitions), from the gradient of Vit_Ω.
 */
public final class SequenceDecoder extends StructureDecoder {
    private final int numTags;
    private final ThreadLocal<ViterbiOmega> vitEntropy = new ThreadLocal<>();
    private final ThreadLocal<ViterbiOmega> vitL2 = new ThreadLocal<>();

    /**
     * A decoder for sequences over {@code numTags} tags.
     *
     * @param options SparseMAP options of {@link Decoding#SPARSEMAP}
     */
    public SequenceDecoder(int numTags, SparseMapOptions options) {
        super(EnumSet.allOf(Decoding.class), options);
        this.numTags = numTags;
    }

    /**
     * Decodes one sentence.
     *
     * @param etaU unary scores [n, S]
     * @param etaV the polytope's packed additional scores ({@link SequencePolytope#packExtra})
     */
    public SparseDistribution decode(SequencePolytope poly, double[] etaU, double[] etaV, Decoding mode) {
        int n = poly.length();
        int s = numTags;
        double[] marg = new double[n * s];
        if (check(mode) == Decoding.SPARSEMAP) {
            SparseMapResult r = solver().solve(poly, etaU, etaV);
            System.arraycopy(r.u(), 0, marg, 0, marg.length);
            return Distributions.fromSupport(r, marg);
        }
        int[] best = poly.argmax(etaU, etaV).code();
        if (mode == Decoding.MAP) {
            for (int k = 0; k < n; k++) {
                marg[k * s + best[k]] = 1;
            }
            return Distributions.single(best, marg, null);
        }
        ViterbiOmega vit = mode == Decoding.MARGINALS ? viterbi(vitEntropy, SmoothedMax.negEntropy(1.0))
                : viterbi(vitL2, SmoothedMax.squaredL2(1.0));
        double[] theta = poly.viterbiPotentials(etaU, etaV);
        double[] grad = new double[theta.length];
        vit.gradient(theta, 0, n, grad, 0);
        double[] gv = new double[etaV.length];
        poly.fromViterbiGradient(grad, marg, gv);
        return Distributions.single(best, marg, gv);
    }

    /**
     * The {@code k} highest-scoring sequences (Lawler–Murty with the Viterbi oracle; at least one), weighted by the
     * Gibbs distribution restricted to the list; marginals are those of the weighted list.
     */
    public SparseDistribution kBest(SequencePolytope poly, double[] etaU, double[] etaV, int k) {
        int n = poly.length();
        int s = numTags;
        List<KBest.Scored> list = KBest.kBest(poly, etaU, etaV, Math.max(1, k));
        double[] w = Distributions.gibbs(list);
        List<int[]> codes = new ArrayList<>(w.length);
        double[] marg = new double[n * s];
        for (int i = 0; i < w.length; i++) {
            int[] code = list.get(i).structure().code();
            codes.add(code);
            for (int t = 0; t < n; t++) {
                marg[t * s + code[t]] += w[i];
            }
        }
        return new SparseDistribution(List.copyOf(codes), w, marg, null, 0, 0);
    }

    private ViterbiOmega viterbi(ThreadLocal<ViterbiOmega> cache, SmoothedMax op) {
        if (cache.get() == null) {
            cache.set(new ViterbiOmega(op, numTags, 64));
        }
        return cache.get();
    }
}
