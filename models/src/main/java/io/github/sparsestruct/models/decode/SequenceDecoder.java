package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Decodes tag sequences ({@link SequencePolytope}: unary scores [n, S] and packed transition, start and end scores).
 * Structures are tag ids per token; marginals [n, S]. {@link Decoding#MARGINALS} and {@link Decoding#DP_L2} also give
 * the additional parts' marginals (the expected transitions), from the gradient of Vit_Ω.
 */
public final class SequenceDecoder extends StructureDecoder {
    /** The decodings of sequences: all of them. */
    public static final Set<Decoding> DECODINGS = Collections.unmodifiableSet(EnumSet.allOf(Decoding.class));

    private final int numTags;
    private final ThreadLocal<TemperedViterbi> vitEntropy = new ThreadLocal<>();
    private final ThreadLocal<TemperedViterbi> vitL2 = new ThreadLocal<>();

    /**
     * A decoder for sequences over {@code numTags} tags.
     *
     * @param options SparseMAP options of {@link Decoding#SPARSEMAP}
     */
    public SequenceDecoder(int numTags, SparseMapOptions options) {
        super(DECODINGS, options);
        this.numTags = numTags;
    }

    /**
     * Decodes one sentence with this decoder's calibration ({@link #calibration(Calibration)}: the smoothed
     * decodings at their temperature, SparseMAP with this decoder's options and γ times its temperature).
     *
     * @param etaU unary scores [n, S]
     * @param etaV the polytope's packed additional scores ({@link SequencePolytope#packExtra})
     */
    public SparseDistribution decode(SequencePolytope poly, double[] etaU, double[] etaV, Decoding mode) {
        SparseDistribution d = decode(poly, etaU, etaV, mode, temperature(mode), calibratedSolver());
        if (mode == Decoding.SPARSEMAP) {
            d = d.withBestProbability(gibbsProbability(poly, etaU, etaV, d.best()));
        }
        return withCalibratedBest(d, mode);
    }

    /**
     * The Gibbs probability of a tag sequence at the calibrated temperature T of {@link Decoding#MARGINALS} (the CRF
     * probability of θ/T): what a SparseMAP decode reports as its best sequence's probability (its weight in the
     * sparse support is no probability: a support of one sequence has weight 1).
     */
    public double gibbsProbability(SequencePolytope poly, double[] etaU, double[] etaV, int[] tags) {
        double t = temperature(Decoding.MARGINALS);
        int n = poly.length();
        ViterbiOmega vit = viterbi(vitEntropy, SmoothedMax::negEntropy, t, n);
        double logZ = vit.value(poly.viterbiPotentials(etaU, etaV), 0, n);
        return Distributions.gibbsProbability(poly.structure(tags).score(etaU, etaV), logZ, t);
    }

    /**
     * Decodes one sequence with a given temperature and SparseMAP solver. {@link Decoding#DP_ENTROPY} is
     * {@link Decoding#MARGINALS} (Vit_Ω with Ω = γ·negentropy, whose value is the log-partition). When every sequence
     * scores −∞ the value is −∞ and the listed structure undefined (SparseMAP fails instead).
     *
     * @param gamma     the temperature of {@link Decoding#MARGINALS}, {@link Decoding#DP_ENTROPY} and
     *                  {@link Decoding#DP_L2} (SparseMAP's is in its solver's options)
     * @param sparseMap the solver of {@link Decoding#SPARSEMAP}
     */
    public SparseDistribution decode(SequencePolytope poly, double[] etaU, double[] etaV, Decoding mode, double gamma,
                                     SparseMapSolver sparseMap) {
        int n = poly.length();
        int s = numTags;
        double[] marg = new double[n * s];
        if (check(mode) == Decoding.SPARSEMAP) {
            SparseMapResult r = sparseMap.solve(poly, etaU, etaV);
            System.arraycopy(r.u(), 0, marg, 0, marg.length);
            return Distributions.fromSupport(r, marg);
        }
        int[] best = new int[n];
        double mapValue = poly.decode(etaU, etaV, best);
        if (mode == Decoding.MAP) {
            for (int k = 0; k < n && mapValue != Double.NEGATIVE_INFINITY; k++) {
                marg[k * s + best[k]] = 1;
            }
            return Distributions.single(best, marg, null, mapValue);
        }
        ViterbiOmega vit = mode == Decoding.DP_L2 ? viterbi(vitL2, SmoothedMax::squaredL2, gamma, n)
                : viterbi(vitEntropy, SmoothedMax::negEntropy, gamma, n);
        double[] theta = poly.viterbiPotentials(etaU, etaV);
        double[] grad = new double[theta.length];
        double value = vit.gradient(theta, 0, n, grad, 0);
        double[] gv = new double[etaV.length];
        poly.fromViterbiGradient(grad, marg, gv);
        return Distributions.single(best, marg, gv, value, mode == Decoding.DP_L2 ? Double.NaN
                : Distributions.gibbsProbability(mapValue, value, gamma));
    }

    /**
     * The {@code k} highest-scoring sequences (Lawler–Murty with the Viterbi oracle; at least one), weighted by the
     * Gibbs distribution restricted to the list (at the calibrated temperature of {@link Decoding#MARGINALS});
     * marginals are those of the weighted list.
     */
    public SparseDistribution kBest(SequencePolytope poly, double[] etaU, double[] etaV, int k) {
        int n = poly.length();
        int s = numTags;
        List<KBest.Scored> list = KBest.kBest(poly, etaU, etaV, Math.max(1, k));
        double[] w = Distributions.gibbs(list, temperature(Decoding.MARGINALS));
        List<int[]> codes = new ArrayList<>(w.length);
        double[] marg = new double[n * s];
        for (int i = 0; i < w.length; i++) {
            int[] code = list.get(i).structure().code();
            codes.add(code);
            for (int t = 0; t < n; t++) {
                marg[t * s + code[t]] += w[i];
            }
        }
        return Distributions.list(list, codes, w, marg);
    }

    /** The thread's Vit_Ω at the temperature it last used (kept), or a new one for another temperature. */
    private ViterbiOmega viterbi(ThreadLocal<TemperedViterbi> cache, DoubleFunction<SmoothedMax> op, double gamma,
                                 int n) {
        TemperedViterbi v = cache.get();
        if (v == null || v.gamma() != gamma) {
            v = new TemperedViterbi(gamma, new ViterbiOmega(op.apply(gamma), numTags, Math.max(64, n)));
            cache.set(v);
        }
        return v.vit();
    }

    /** A Vit_Ω and its temperature. */
    private record TemperedViterbi(double gamma, ViterbiOmega vit) {
    }
}
