package io.github.sparsestruct.models.decode;

import static io.github.sparsestruct.models.decode.BruteForce.arcs;
import static io.github.sparsestruct.models.decode.BruteForce.assertClose;
import static io.github.sparsestruct.models.decode.BruteForce.gaussian;
import static io.github.sparsestruct.models.decode.BruteForce.gibbs;
import static io.github.sparsestruct.models.decode.BruteForce.isTree;
import static io.github.sparsestruct.models.decode.BruteForce.unary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.models.align.NullMatchingPolytope;
import io.github.sparsestruct.models.align.SequentialChain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each decoder's int codes against brute force over every structure of a tiny instance. */
class StructureDecodersTest {
    private static final SparseMapOptions OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-9);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void sequenceDecoderMatchesBruteForceOnRandomChains(long seed) {
        Random rng = new Random(seed);
        int n = 3;
        int s = 3;
        SequencePolytope poly = new SequencePolytope(n, s);
        double[] etaU = gaussian(rng, n * s);
        double[] etaV = poly.packExtra(gaussian(rng, s * s), gaussian(rng, s), gaussian(rng, s));
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < s * s * s; c++) {
            all.add(new int[] {c % s, (c / s) % s, c / (s * s)});
        }
        ToDoubleFunction<int[]> score = y -> poly.structure(y).score(etaU, etaV);
        SequenceDecoder dec = new SequenceDecoder(s, OPTIONS);

        assertThat(dec.decode(poly, etaU, etaV, Decoding.MAP).best()).containsExactly(argmax(all, score));
        SparseDistribution crf = dec.decode(poly, etaU, etaV, Decoding.MARGINALS);
        assertThat(crf.best()).containsExactly(argmax(all, score));
        assertClose(crf.marginals(), gibbs(all, score, 1.0, y -> unary(y, s)), 1e-9);
        assertThat(crf.extraMarginals()).isNotNull();
        assertKBest(dec.kBest(poly, etaU, etaV, 4), all, score);
        assertSparseMap(dec.decode(poly, etaU, etaV, Decoding.SPARSEMAP), y -> unary(y, s), n * s);
        SparseDistribution l2 = dec.decode(poly, etaU, etaV, Decoding.DP_L2);
        assertThat(l2.best()).containsExactly(argmax(all, score));
        double[] rowSums = new double[n];
        for (int q = 0; q < n * s; q++) {
            assertThat(l2.marginals()[q]).isGreaterThanOrEqualTo(-1e-12);
            rowSums[q / s] += l2.marginals()[q];
        }
        for (double r : rowSums) {
            assertThat(r).isCloseTo(1.0, within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void treeDecoderMatchesBruteForceOnRandomArcScores(long seed) {
        Random rng = new Random(seed);
        int n = 3;
        int nn = n + 1;
        double[] eta = gaussian(rng, nn * nn);
        TreePolytope poly = new TreePolytope(n, false, true);
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < nn * nn * nn; c++) {
            int[] h = {c % nn, (c / nn) % nn, c / (nn * nn)};
            if (isTree(h, true)) {
                all.add(h);
            }
        }
        ToDoubleFunction<int[]> score = h -> poly.structure(h).score(eta, null);
        ToDoubleFunction<int[]> check = h -> {
            double v = 0;
            for (int m = 1; m <= n; m++) {
                v += eta[h[m - 1] * nn + m];
            }
            return v;
        };
        int[] best = argmax(all, score);
        assertThat(best).containsExactly(argmax(all, check));
        TreeDecoder dec = new TreeDecoder(OPTIONS);
        assertThat(dec.decode(n, eta, Decoding.MAP).best()).containsExactly(best);
        SparseDistribution crf = dec.decode(n, eta, Decoding.MARGINALS);
        assertThat(crf.best()).containsExactly(best);
        assertClose(crf.marginals(), gibbs(all, score, 1.0, h -> arcs(h, nn)), 1e-9);
        assertKBest(dec.kBest(n, eta, 5), all, score);
        assertSparseMap(dec.decode(n, eta, Decoding.SPARSEMAP), h -> arcs(h, nn), nn * nn);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void alignmentDecoderMatchesBruteForceOnRandomPairs(long seed) {
        Random rng = new Random(seed);
        int m = 2;
        int n = 3;
        double[] pairs = gaussian(rng, m * n);
        double[] ns = gaussian(rng, m);
        double[] nt = gaussian(rng, n);
        double[] trans = gaussian(rng, SequentialChain.TRANS);
        double[] start = gaussian(rng, SequentialChain.START);
        double[] end = gaussian(rng, SequentialChain.END);
        List<int[]> any = new ArrayList<>();
        List<int[]> matchings = new ArrayList<>();
        for (int a = -1; a < n; a++) {
            for (int b = -1; b < n; b++) {
                any.add(new int[] {a, b});
                if (a < 0 || a != b) {
                    matchings.add(new int[] {a, b});
                }
            }
        }
        AlignmentDecoder dec = new AlignmentDecoder(OPTIONS);
        NullMatchingPolytope mp = new NullMatchingPolytope(m, n);
        double[] eta = mp.pack(pairs, ns, nt);
        ToDoubleFunction<int[]> mScore = y -> mp.structure(y).score(eta, null);
        assertThat(dec.matching(m, n, pairs, ns, nt, Decoding.MAP).best()).containsExactly(argmax(matchings, mScore));
        assertSparseMap(dec.matching(m, n, pairs, ns, nt, Decoding.SPARSEMAP), y -> links(y, n), m * n);
        SparseDistribution sink = dec.matching(m, n, pairs, ns, nt, Decoding.MARGINALS);
        assertThat(sink.best()).containsExactly(argmax(matchings, mScore));
        for (double v : sink.marginals()) {
            assertThat(v).isBetween(-1e-9, 1 + 1e-9);
        }

        SequentialChain chain = new SequentialChain(m, n);
        double[] etaU = chain.unary(pairs, ns);
        double[] etaV = chain.extra(trans, start, end);
        ToDoubleFunction<int[]> sScore = y -> chain.structure(y).score(etaU, etaV);
        assertThat(dec.sequential(m, n, pairs, ns, trans, start, end, Decoding.MAP).best())
                .containsExactly(argmax(any, sScore));
        SparseDistribution fb = dec.sequential(m, n, pairs, ns, trans, start, end, Decoding.MARGINALS);
        assertClose(fb.marginals(), gibbs(any, sScore, 1.0, y -> links(y, n)), 1e-9);
        assertSparseMap(dec.sequential(m, n, pairs, ns, trans, start, end, Decoding.SPARSEMAP), y -> links(y, n),
                m * n);
    }

    /** Heaviest first, weights sum to 1, marginals = Σ weight · indicator of the listed structures. */
    private static void assertSparseMap(SparseDistribution d, java.util.function.Function<int[], double[]> ind,
                                        int dim) {
        double total = 0;
        double[] marg = new double[dim];
        for (int i = 0; i < d.size(); i++) {
            if (i > 0) {
                assertThat(d.weights()[i]).isLessThanOrEqualTo(d.weights()[i - 1]);
            }
            total += d.weights()[i];
            double[] u = ind.apply(d.structures().get(i));
            for (int q = 0; q < dim; q++) {
                marg[q] += d.weights()[i] * u[q];
            }
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
        assertClose(d.marginals(), marg, 1e-9);
        assertThat(d.iterations()).isPositive();
    }

    /** The k best by brute force, with Gibbs weights restricted to the list. */
    private static void assertKBest(SparseDistribution d, List<int[]> all, ToDoubleFunction<int[]> score) {
        List<int[]> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingDouble(score).reversed());
        int k = d.size();
        double z = 0;
        for (int i = 0; i < k; i++) {
            z += Math.exp(score.applyAsDouble(sorted.get(i)) - score.applyAsDouble(sorted.get(0)));
        }
        for (int i = 0; i < k; i++) {
            assertThat(score.applyAsDouble(d.structures().get(i)))
                    .isCloseTo(score.applyAsDouble(sorted.get(i)), within(1e-9));
            double w = Math.exp(score.applyAsDouble(sorted.get(i)) - score.applyAsDouble(sorted.get(0))) / z;
            assertThat(d.weights()[i]).isCloseTo(w, within(1e-9));
        }
    }

    private static int[] argmax(List<int[]> all, ToDoubleFunction<int[]> score) {
        return all.stream().max(Comparator.comparingDouble(score)).orElseThrow();
    }

    private static double[] links(int[] y, int n) {
        double[] u = new double[y.length * n];
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= 0) {
                u[i * n + y[i]] = 1;
            }
        }
        return u;
    }

}
