package io.github.sparsestruct.models.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.ExplicitPolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.models.data.AlignPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The matching-with-null and sequential decoders against enumeration of every alignment of tiny pairs. */
class AlignDecodersTest {
    /** Every partial one-to-one matching of m source and n target words, as each source word's target or −1. */
    static List<int[]> allMatchings(int m, int n) {
        List<int[]> out = new ArrayList<>();
        fill(new int[m], 0, new boolean[n], out);
        return out;
    }

    private static void fill(int[] cur, int i, boolean[] used, List<int[]> out) {
        if (i == cur.length) {
            out.add(cur.clone());
            return;
        }
        cur[i] = -1;
        fill(cur, i + 1, used, out);
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                cur[i] = j;
                fill(cur, i + 1, used, out);
                used[j] = false;
            }
        }
    }

    /** Every sequence of m tags over n + 1 tags (n = null). */
    static List<int[]> allSequences(int m, int s) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(s, m);
        for (int k = 0; k < total; k++) {
            int[] seq = new int[m];
            int x = k;
            for (int i = 0; i < m; i++) {
                seq[i] = x % s;
                x /= s;
            }
            out.add(seq);
        }
        return out;
    }

    private static double[] gaussian(Random r, int len, double scale) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = scale * r.nextGaussian();
        }
        return x;
    }

    private static double matchingScore(int[] code, double[] th, double[] ns, double[] nt, int n) {
        double s = 0;
        boolean[] used = new boolean[n];
        for (int i = 0; i < code.length; i++) {
            if (code[i] >= 0) {
                s += th[i * n + code[i]];
                used[code[i]] = true;
            } else {
                s += ns[i];
            }
        }
        for (int j = 0; j < n; j++) {
            if (!used[j]) {
                s += nt[j];
            }
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchingOracleFindsTheBestPartialMatchingByEnumeration(long seed) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(4);
        int n = 1 + r.nextInt(4);
        double[] th = gaussian(r, m * n, 1);
        double[] ns = gaussian(r, m, 0.7);
        double[] nt = gaussian(r, n, 0.7);
        NullMatchingPolytope poly = new NullMatchingPolytope(m, n);
        double[] eta = poly.pack(th, ns, nt);
        double best = Double.NEGATIVE_INFINITY;
        for (int[] c : allMatchings(m, n)) {
            double s = matchingScore(c, th, ns, nt, n);
            assertThat(poly.structure(c).score(eta, null)).isCloseTo(s, within(1e-12));
            best = Math.max(best, s);
        }
        Structure map = poly.argmax(eta, null);
        assertThat(matchingScore(map.code(), th, ns, nt, n)).isCloseTo(best, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void matchingSparseMapEqualsSparseMapOverTheEnumeratedMatchings(long seed) {
        Random r = new Random(seed);
        int m = 2 + r.nextInt(2);
        int n = 2 + r.nextInt(2);
        NullMatchingPolytope poly = new NullMatchingPolytope(m, n);
        double[] eta = poly.pack(gaussian(r, m * n, 0.5), gaussian(r, m, 0.3), gaussian(r, n, 0.3));
        List<Structure> all = new ArrayList<>();
        for (int[] c : allMatchings(m, n)) {
            all.add(poly.structure(c));
        }
        SparseMapResult got = new ActiveSetSolver().solve(poly, eta, null);
        SparseMapResult want = new ActiveSetSolver().solve(new ExplicitPolytope(all, poly.unaryDim(), 0), eta, null);
        for (int k = 0; k < eta.length; k++) {
            assertThat(got.u()[k]).as("u[%d]", k).isCloseTo(want.u()[k], within(1e-6));
        }
        assertThat(Arrays.stream(got.weights()).sum()).isCloseTo(1.0, within(1e-9));
        // null marginals are 1 − the word's link marginals
        for (int i = 0; i < m; i++) {
            double linked = 0;
            for (int j = 0; j < n; j++) {
                linked += got.u()[i * n + j];
            }
            assertThat(linked + got.u()[m * n + i]).isCloseTo(1.0, within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void sequentialDecodersMatchEnumerationOfAllChains(long seed) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(3);
        int n = 1 + r.nextInt(3);
        SequentialChain chain = new SequentialChain(m, n);
        double[] th = gaussian(r, m * n, 1);
        double[] ns = gaussian(r, m, 0.5);
        double[] trans = gaussian(r, SequentialChain.TRANS, 0.5);
        double[] start = gaussian(r, SequentialChain.START, 0.5);
        double[] end = gaussian(r, SequentialChain.END, 0.5);
        double[] etaU = chain.unary(th, ns);
        double[] etaV = chain.extra(trans, start, end);
        List<Structure> all = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        double logZ = Double.NEGATIVE_INFINITY;
        double[] scores = new double[(int) Math.pow(n + 1, m)];
        List<int[]> seqs = allSequences(m, n + 1);
        for (int k = 0; k < seqs.size(); k++) {
            int[] tags = seqs.get(k);
            // the score by hand: unary + binned transitions + start + end
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += tags[i] == n ? ns[i] : th[i * n + tags[i]];
                if (i > 0) {
                    s += trans[SequentialChain.transBin(tags[i - 1], tags[i], n)];
                }
            }
            s += start[SequentialChain.startBin(tags[0], n)] + end[SequentialChain.endBin(tags[m - 1], n)];
            Structure st = chain.polytope().structure(tags);
            assertThat(st.score(etaU, etaV)).isCloseTo(s, within(1e-12));
            all.add(st);
            scores[k] = s;
            best = Math.max(best, s);
        }
        for (double s : scores) {
            logZ = logZ == Double.NEGATIVE_INFINITY ? s : Math.max(logZ, s) + Math.log1p(Math.exp(-Math.abs(logZ - s)));
        }
        assertThat(chain.polytope().argmax(etaU, etaV).score(etaU, etaV)).isCloseTo(best, within(1e-9));

        // forward-backward marginals (the "marginals" decoding) against the Gibbs distribution
        double[] gibbs = new double[m * n];
        for (int k = 0; k < seqs.size(); k++) {
            double p = Math.exp(scores[k] - logZ);
            for (int i = 0; i < m; i++) {
                if (seqs.get(k)[i] < n) {
                    gibbs[i * n + seqs.get(k)[i]] += p;
                }
            }
        }
        ViterbiOmega vit = new ViterbiOmega(SmoothedMax.negEntropy(1.0), n + 1, 8);
        double[] theta = chain.polytope().viterbiPotentials(etaU, etaV);
        double[] grad = new double[theta.length];
        assertThat(vit.gradient(theta, 0, m, grad, 0)).isCloseTo(logZ, within(1e-9));
        double[] gu = new double[etaU.length];
        chain.polytope().fromViterbiGradient(grad, gu, new double[etaV.length]);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertThat(gu[i * (n + 1) + j]).isCloseTo(gibbs[i * n + j], within(1e-9));
            }
        }

        SparseMapResult got = new ActiveSetSolver().solve(chain.polytope(), etaU, etaV);
        SparseMapResult want = new ActiveSetSolver().solve(new ExplicitPolytope(all, etaU.length, etaV.length),
                etaU, etaV);
        assertThat(got.objective()).isCloseTo(want.objective(), within(1e-7));
        for (int k = 0; k < etaU.length; k++) {
            assertThat(got.u()[k]).isCloseTo(want.u()[k], within(1e-6));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33})
    void sinkhornMarginalsAreADoublyStochasticRelaxationWithNullMass(long seed) {
        Random r = new Random(seed);
        int m = 2 + r.nextInt(4);
        int n = 2 + r.nextInt(4);
        double[] th = gaussian(r, m * n, 1);
        double[] ns = gaussian(r, m, 1);
        double[] nt = gaussian(r, n, 1);
        double[] p = MatchingMarginals.compute(th, ns, nt, m, n, 2000, 1e-12);
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                assertThat(p[i * n + j]).isGreaterThan(0);
                row += p[i * n + j];
            }
            assertThat(row).isLessThan(1.0);
        }
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < m; i++) {
                col += p[i * n + j];
            }
            assertThat(col).isLessThan(1.0);
        }
        // a pair scored far above its nulls takes nearly all the mass
        th[0] = 30;
        double[] q = MatchingMarginals.compute(th, ns, nt, m, n, 2000, 1e-12);
        assertThat(q[0]).isGreaterThan(0.999);
    }

    @Test
    void oneToManyGoldBecomesTwoMatchingsThatTogetherCoverEveryLink() {
        // source 0 links to targets 0 and 1; source 1 to target 2
        AlignPair p = new AlignPair("x", new String[] {"gameshows", "end"}, new String[] {"game", "show", "end"},
                List.of(new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 2}), List.of());
        AlignTrainer.Targets t = AlignTrainer.targets(p);
        assertThat(t.matchings()).hasSize(2);
        assertThat(t.matchings()).extracting(c -> c[1]).containsOnly(2);
        assertThat(t.matchings()).extracting(c -> c[0]).containsExactlyInAnyOrder(0, 1);
        assertThat(t.sequences()).hasSize(2);

        AlignPair one = new AlignPair("y", new String[] {"a", "b"}, new String[] {"a", "b"},
                List.of(new int[] {0, 0}, new int[] {1, 1}), List.of());
        assertThat(AlignTrainer.targets(one).matchings()).hasSize(1);
        assertThat(AlignTrainer.targets(one).matchings().get(0)).containsExactly(0, 1);
    }

    @Test
    void possibleLinksJoinTheTargetsOnlyWhenAskedAndNeverDisplaceASureLink() {
        // sure 0-0; possible 1-1 (free) and 0-1 (competes with the sure 0-0 for source 0)
        AlignPair p = new AlignPair("z", new String[] {"le", "chat"}, new String[] {"the", "cat"},
                List.of(new int[] {0, 0}), List.of(new int[] {1, 1}, new int[] {0, 1}));
        assertThat(AlignTrainer.targets(p, false).matchings().get(0)).containsExactly(0, -1);
        AlignTrainer.Targets t = AlignTrainer.targets(p, true);
        assertThat(t.matchings().get(0)).containsExactly(0, 1);
        assertThat(t.matchings()).allSatisfy(c -> assertThat(c[0]).isEqualTo(0));
    }
}
