package io.github.sparsestruct.inference.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.Enumerate;
import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every structured loss is checked on small random instances against brute-force enumeration: value ≥ 0,
 * gradient = prediction − target (prediction computed by enumeration), gradient = finite differences of the value,
 * and zero loss where the target is the loss's own prediction.
 */
class StructuredLossTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 60).boxed();
    }

    /** A random small instance: a polytope, its enumerated structures, scores and a random target. */
    record Instance(StructuredPolytope poly, List<Structure> all, double[] etaU, double[] etaV, Structure target) {
    }

    static Instance chain(Random rnd) {
        int T = 1 + rnd.nextInt(4);
        int S = 1 + rnd.nextInt(3);
        SequencePolytope p = new SequencePolytope(T, S);
        List<Structure> all = new ArrayList<>();
        for (int[] y : Enumerate.sequences(T, S)) {
            all.add(p.structure(y));
        }
        double[] u = gaussian(rnd, p.unaryDim());
        double[] v = gaussian(rnd, p.extraDim());
        return new Instance(p, all, u, v, all.get(rnd.nextInt(all.size())));
    }

    static Instance tree(Random rnd, boolean projective, boolean singleRoot) {
        int n = 1 + rnd.nextInt(4);
        TreePolytope p = new TreePolytope(n, projective, singleRoot);
        List<Structure> all = new ArrayList<>();
        for (int[] h : Enumerate.trees(n, projective, singleRoot)) {
            all.add(p.structure(h));
        }
        double[] u = gaussian(rnd, p.unaryDim());
        return new Instance(p, all, u, null, all.get(rnd.nextInt(all.size())));
    }

    static Instance matching(Random rnd) {
        int m = 1 + rnd.nextInt(3);
        int k = 1 + rnd.nextInt(3);
        MatchingPolytope p = new MatchingPolytope(m, k);
        List<Structure> all = new ArrayList<>();
        for (int[] c : Enumerate.matchings(m, k)) {
            all.add(p.structure(c));
        }
        return new Instance(p, all, gaussian(rnd, p.unaryDim()), null, all.get(rnd.nextInt(all.size())));
    }

    static double[] gaussian(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    static Instance anyInstance(int seed) {
        Random rnd = new Random(seed);
        return switch (seed % 4) {
            case 0 -> chain(rnd);
            case 1 -> tree(rnd, false, seed % 8 == 1);
            case 2 -> tree(rnd, true, seed % 8 == 2);
            default -> matching(rnd);
        };
    }

    /** Indicator vectors of a structure, dense. */
    static double[][] dense(Structure s, int du, int dv) {
        double[] u = new double[du];
        double[] v = new double[dv];
        for (int i : s.unary()) {
            u[i] = 1;
        }
        for (int j : s.extra()) {
            v[j] = 1;
        }
        return new double[][] {u, v};
    }

    static Structure bruteMap(List<Structure> all, double[] eu, double[] ev) {
        Structure best = null;
        double b = Double.NEGATIVE_INFINITY;
        for (Structure s : all) {
            double sc = s.score(eu, ev);
            if (sc > b) {
                b = sc;
                best = s;
            }
        }
        return best;
    }

    /** Checks ∂ℓ/∂η against central finite differences along a random direction. */
    static void checkFiniteDifferences(StructuredLoss loss, Instance in, Random rnd, double tol) {
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        double[] gu = new double[du];
        double[] gv = dv > 0 ? new double[dv] : null;
        loss.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
        double[] du0 = gaussian(rnd, du);
        double[] dv0 = dv > 0 ? gaussian(rnd, dv) : null;
        double eps = 1e-6;
        double plus = loss.loss(shift(in.etaU(), du0, eps), shift(in.etaV(), dv0, eps), in.target(), new double[du],
                dv > 0 ? new double[dv] : null);
        double minus = loss.loss(shift(in.etaU(), du0, -eps), shift(in.etaV(), dv0, -eps), in.target(),
                new double[du], dv > 0 ? new double[dv] : null);
        double fd = (plus - minus) / (2 * eps);
        double an = dot(gu, du0) + (dv > 0 ? dot(gv, dv0) : 0);
        assertThat(an).isCloseTo(fd, within(tol * Math.max(1, Math.abs(fd))));
    }

    static double[] shift(double[] x, double[] d, double eps) {
        if (x == null) {
            return null;
        }
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += eps * d[i];
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void perceptronGradientIsMapMinusTargetAndVanishesAtTheMap(int seed) {
        Instance in = anyInstance(seed);
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        double[] gu = new double[du];
        double[] gv = new double[dv];
        PerceptronLoss loss = new PerceptronLoss(in.poly(), false);
        double l = loss.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
        Structure map = bruteMap(in.all(), in.etaU(), in.etaV());
        assertThat(l).isCloseTo(map.score(in.etaU(), in.etaV()) - in.target().score(in.etaU(), in.etaV()),
                within(1e-10));
        assertThat(l).isGreaterThanOrEqualTo(0);
        double[][] pm = dense(map, du, dv);
        double[][] pt = dense(in.target(), du, dv);
        for (int i = 0; i < du; i++) {
            assertThat(gu[i]).isCloseTo(pm[0][i] - pt[0][i], within(1e-12));
        }
        for (int i = 0; i < dv; i++) {
            assertThat(gv[i]).isCloseTo(pm[1][i] - pt[1][i], within(1e-12));
        }
        assertThat(loss.loss(in.etaU(), in.etaV(), map, gu, gv)).isEqualTo(0.0);
        checkFiniteDifferences(loss, in, new Random(seed), 1e-6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hingeEqualsBruteForceCostAugmentedMaxAndVanishesWithAMargin(int seed) {
        Instance in = anyInstance(seed);
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        PerceptronLoss loss = new PerceptronLoss(in.poly(), true);
        double[] gu = new double[du];
        double[] gv = new double[dv];
        double l = loss.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
        double best = Double.NEGATIVE_INFINITY;
        Structure arg = null;
        for (Structure s : in.all()) {
            double hamming = s.unary().length - s.unaryOverlap(in.target());
            double sc = s.score(in.etaU(), in.etaV()) + hamming;
            if (sc > best) {
                best = sc;
                arg = s;
            }
        }
        assertThat(l).isCloseTo(best - in.target().score(in.etaU(), in.etaV()), within(1e-10));
        assertThat(l).isGreaterThanOrEqualTo(0);
        double[][] pa = dense(arg, du, dv);
        double[][] pt = dense(in.target(), du, dv);
        for (int i = 0; i < du; i++) {
            assertThat(gu[i]).isCloseTo(pa[0][i] - pt[0][i], within(1e-12));
        }
        // scores that favour the target by a margin > 1 per part: zero loss, zero gradient
        double[] big = new double[du];
        for (int i : in.target().unary()) {
            big[i] = 3.0;
        }
        double[] zeroV = dv > 0 ? new double[dv] : null;
        assertThat(loss.loss(big, zeroV, in.target(), gu, gv)).isEqualTo(0.0);
        assertThat(gu).containsOnly(0.0);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sparseMapLossGradientIsSolutionMinusTargetAndMatchesFiniteDifferences(int seed) {
        Instance in = anyInstance(seed);
        for (boolean margin : new boolean[] {false, true}) {
            int du = in.poly().unaryDim();
            int dv = in.poly().extraDim();
            ActiveSetSolver solver = new ActiveSetSolver(SparseMapOptions.DEFAULT.withTolerance(1e-13));
            SparseMapLoss loss = new SparseMapLoss(in.poly(), solver, margin);
            double[] gu = new double[du];
            double[] gv = new double[dv];
            double l = loss.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
            assertThat(l).isGreaterThanOrEqualTo(0);
            // brute force: the QP optimum over the enumerated vertices
            double[] scores = in.etaU().clone();
            if (margin) {
                for (int i = 0; i < du; i++) {
                    scores[i] += 1;
                }
                for (int i : in.target().unary()) {
                    scores[i] -= 1;
                }
            }
            double[] uStar = io.github.sparsestruct.inference.sparsemap.QpOracleAccess.solveU(in.all(), du, scores,
                    in.etaV(), 1.0);
            double[][] pt = dense(in.target(), du, dv);
            for (int i = 0; i < du; i++) {
                assertThat(gu[i]).isCloseTo(uStar[i] - pt[0][i], within(1e-6));
            }
            checkFiniteDifferences(loss, in, new Random(seed), 1e-4);
        }
    }

    @Test
    void sparseMapLossVanishesWhenTheTargetIsTheSparseMapPrediction() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            Instance in = anyInstance(trial);
            // sharp scores: the solution is a single structure
            double[] u = in.etaU().clone();
            for (int i = 0; i < u.length; i++) {
                u[i] *= 50;
            }
            double[] v = in.etaV() == null ? null : in.etaV().clone();
            if (v != null) {
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 50;
                }
            }
            SparseMapLoss loss = new SparseMapLoss(in.poly(), false);
            double[] gu = new double[u.length];
            double[] gv = v == null ? null : new double[v.length];
            loss.loss(u, v, in.target(), gu, gv);
            if (loss.lastResult().support().size() != 1) {
                continue;
            }
            Structure pred = loss.lastResult().support().get(0);
            assertThat(loss.loss(u, v, pred, gu, gv)).isCloseTo(0.0, within(1e-9));
            assertThat(gu).containsOnly(0.0);
        }
        assertThat(rnd).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void crfLossesEqualBruteForceLogPartitionAndGibbsMarginals(int seed) {
        Random rnd = new Random(seed);
        double gamma = seed % 3 == 0 ? 0.5 : 1.0;
        Instance in = switch (seed % 3) {
            case 0 -> chain(rnd);
            case 1 -> tree(rnd, false, seed % 2 == 0);
            default -> tree(rnd, true, seed % 2 == 0);
        };
        StructuredLoss loss = in.poly() instanceof SequencePolytope sp
                ? new CrfChainLoss(sp, gamma) : new CrfTreeLoss((TreePolytope) in.poly(), gamma);
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        double[] gu = new double[du];
        double[] gv = new double[dv];
        double l = loss.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
        double[] scores = in.all().stream().mapToDouble(s -> s.score(in.etaU(), in.etaV())).toArray();
        double logZ = Enumerate.logSumExp(scores, gamma);
        assertThat(l).isCloseTo(logZ - in.target().score(in.etaU(), in.etaV()), within(1e-9));
        assertThat(l).isGreaterThanOrEqualTo(0);
        double[] mu = new double[du];
        double[] mv = new double[dv];
        for (int k = 0; k < scores.length; k++) {
            double p = Math.exp((scores[k] - logZ) / gamma);
            double[][] d = dense(in.all().get(k), du, dv);
            for (int i = 0; i < du; i++) {
                mu[i] += p * d[0][i];
            }
            for (int i = 0; i < dv; i++) {
                mv[i] += p * d[1][i];
            }
        }
        double[][] pt = dense(in.target(), du, dv);
        for (int i = 0; i < du; i++) {
            assertThat(gu[i]).isCloseTo(mu[i] - pt[0][i], within(1e-9));
        }
        for (int i = 0; i < dv; i++) {
            assertThat(gv[i]).isCloseTo(mv[i] - pt[1][i], within(1e-9));
        }
        checkFiniteDifferences(loss, in, rnd, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dpSurrogateWithNegEntropyIsTheCrfLossAndItsGradientMatchesFiniteDifferences(int seed) {
        Random rnd = new Random(seed);
        Instance in = chain(rnd);
        SequencePolytope sp = (SequencePolytope) in.poly();
        int du = sp.unaryDim();
        int dv = sp.extraDim();
        double[] gu = new double[du];
        double[] gv = new double[dv];
        double crf = new CrfChainLoss(sp, 1.0).loss(in.etaU(), in.etaV(), in.target(), gu, gv);
        double[] hu = new double[du];
        double[] hv = new double[dv];
        double dp = DpSurrogateLoss.sequence(sp, SmoothedMax.negEntropy(1.0), false)
                .loss(in.etaU(), in.etaV(), in.target(), hu, hv);
        assertThat(dp).isCloseTo(crf, within(1e-9));
        assertThat(hu).containsExactly(gu, within(1e-9));
        for (SmoothedMax op : new SmoothedMax[] {SmoothedMax.squaredL2(1.0), SmoothedMax.entmax15(1.0)}) {
            for (boolean cost : new boolean[] {false, true}) {
                StructuredLoss l = DpSurrogateLoss.sequence(sp, op, cost);
                double v = l.loss(in.etaU(), in.etaV(), in.target(), hu, hv);
                assertThat(v).isGreaterThanOrEqualTo(-(sp.length() + 1) * 0.5 - 1e-12);
                checkFiniteDifferences(l, in, rnd, 1e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dtwSurrogateMatchesBruteForceAndFiniteDifferences(int seed) {
        Random rnd = new Random(seed);
        int na = 1 + rnd.nextInt(4);
        int nb = 1 + rnd.nextInt(5);
        double[] c = new double[na * nb];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextDouble() * 3;
        }
        List<int[]> paths = Enumerate.alignments(na, nb);
        int[] target = paths.get(rnd.nextInt(paths.size()));
        double[] g = new double[c.length];
        double l = DpSurrogateLoss.alignment(SmoothedMax.negEntropy(1.0), c, na, nb, target, false, g);
        // with negentropy: ⟨c, y⟩ + log Σ_paths exp(−cost) ≥ 0
        double[] negCosts = paths.stream().mapToDouble(p -> {
            double s = 0;
            for (int cell : p) {
                s -= c[cell];
            }
            return s;
        }).toArray();
        double tc = 0;
        for (int cell : target) {
            tc += c[cell];
        }
        assertThat(l).isCloseTo(tc + Enumerate.logSumExp(negCosts, 1.0), within(1e-9));
        assertThat(l).isGreaterThanOrEqualTo(0);
        double[] d = gaussian(rnd, c.length);
        double eps = 1e-6;
        double lp = DpSurrogateLoss.alignment(SmoothedMax.negEntropy(1.0), shift(c, d, eps), na, nb, target, true,
                new double[c.length]);
        double lm = DpSurrogateLoss.alignment(SmoothedMax.negEntropy(1.0), shift(c, d, -eps), na, nb, target, true,
                new double[c.length]);
        double[] g2 = new double[c.length];
        DpSurrogateLoss.alignment(SmoothedMax.negEntropy(1.0), c, na, nb, target, true, g2);
        assertThat(dot(g2, d)).isCloseTo((lp - lm) / (2 * eps), within(1e-6));
    }

    @Test
    void aForbiddenTargetIsAClearError() {
        SequencePolytope sp = new SequencePolytope(2, 2);
        double[] u = {0, Double.NEGATIVE_INFINITY, 0, 0};
        double[] v = new double[sp.extraDim()];
        Structure target = sp.structure(new int[] {1, 0});
        assertThatThrownBy(() -> new CrfChainLoss(sp, 1).loss(u, v, target, new double[4], new double[v.length]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Infinity");
        double[] nan = {0, Double.NaN, 0, 0};
        assertThatThrownBy(() -> new PerceptronLoss(sp, false).loss(nan, v, target, new double[4],
                new double[v.length])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
