package io.github.sparsestruct.inference.loss;

import static io.github.sparsestruct.inference.loss.StructuredLossTest.dense;
import static io.github.sparsestruct.inference.loss.StructuredLossTest.gaussian;
import static io.github.sparsestruct.inference.loss.StructuredLossTest.shift;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.loss.StructuredLossTest.Instance;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.Structure;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soft targets (points of the marginal polytope: mixtures of structures, as a teacher's marginals are): with one
 * structure's indicators the soft loss equals the loss, gradients match finite differences, the CRF's value is the
 * cross-entropy E_q[−log p(y)] by enumeration, and bad targets are refused. Instances include size-1 chains and trees,
 * ties (all scores equal) and −∞ scores outside the target's support.
 */
class SoftTargetLossTest {
    static Stream<Integer> seeds() {
        return IntStream.range(0, 60).boxed();
    }

    /** A chain or tree instance (no matchings: their losses are not the ones with soft forms here). */
    static Instance instance(int seed) {
        Random rnd = new Random(seed);
        Instance in = seed % 3 == 0 ? StructuredLossTest.chain(rnd)
                : StructuredLossTest.tree(rnd, seed % 3 == 2, seed % 2 == 0);
        if (seed % 10 == 7) {
            // ties: every score equal
            java.util.Arrays.fill(in.etaU(), 0.3);
            if (in.etaV() != null) {
                java.util.Arrays.fill(in.etaV(), -0.2);
            }
        }
        return in;
    }

    /** The losses with a soft form, for an instance's polytope. */
    static List<StructuredLoss> losses(Instance in) {
        ActiveSetSolver solver = new ActiveSetSolver(SparseMapOptions.DEFAULT.withTolerance(1e-12));
        if (in.poly() instanceof SequencePolytope p) {
            return List.of(new CrfChainLoss(p, 1.0), new CrfChainLoss(p, 0.7),
                    new SparseMapLoss(p, solver, false), DpSurrogateLoss.sequence(p, SmoothedMax.squaredL2(1.0),
                            false), DpSurrogateLoss.sequence(p, SmoothedMax.negEntropy(1.0), false));
        }
        TreePolytope t = (TreePolytope) in.poly();
        return List.of(new CrfTreeLoss(t, 1.0), new CrfTreeLoss(t, 2.0), new SparseMapLoss(t, solver, false));
    }

    /** A mixture of up to three structures: weights and the mixed indicator vectors. */
    record Mix(List<Structure> parts, double[] weights, double[] u, double[] v) {
    }

    static Mix mix(Instance in, Random rnd) {
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        int k = 1 + rnd.nextInt(Math.min(3, in.all().size()));
        List<Structure> parts = IntStream.range(0, k).mapToObj(i -> in.all().get(rnd.nextInt(in.all().size())))
                .toList();
        double[] w = new double[k];
        double z = 0;
        for (int i = 0; i < k; i++) {
            w[i] = 0.1 + rnd.nextDouble();
            z += w[i];
        }
        double[] u = new double[du];
        double[] v = new double[dv];
        for (int i = 0; i < k; i++) {
            w[i] /= z;
            double[][] d = dense(parts.get(i), du, dv);
            for (int q = 0; q < du; q++) {
                u[q] += w[i] * d[0][q];
            }
            for (int q = 0; q < dv; q++) {
                v[q] += w[i] * d[1][q];
            }
        }
        return new Mix(parts, w, u, v);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aOneHotTargetGivesTheLossAndItsGradient(int seed) {
        Instance in = instance(seed);
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        double[][] y = dense(in.target(), du, dv);
        for (StructuredLoss l : losses(in)) {
            double[] gu = new double[du];
            double[] gv = dv > 0 ? new double[dv] : null;
            double[] su = new double[du];
            double[] sv = dv > 0 ? new double[dv] : null;
            double hard = l.loss(in.etaU(), in.etaV(), in.target(), gu, gv);
            double soft = l.softLoss(in.etaU(), in.etaV(), y[0], dv > 0 ? y[1] : null, su, sv);
            assertThat(soft).as(l.getClass().getSimpleName()).isCloseTo(hard, within(1e-9 * Math.max(1, hard)));
            assertClose(su, gu);
            if (dv > 0) {
                assertClose(sv, gv);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void softGradientsMatchFiniteDifferences(int seed) {
        Instance in = instance(seed);
        Random rnd = new Random(1000 + seed);
        Mix m = mix(in, rnd);
        int du = in.poly().unaryDim();
        int dv = in.poly().extraDim();
        double[] tv = dv > 0 ? m.v() : null;
        for (StructuredLoss l : losses(in)) {
            if (l instanceof SparseMapLoss && dv > 0 && seed % 10 == 7) {
                // Ω = (γ/2)‖u‖² leaves the transition part unregularised: at exact ties SparseMAP's value has a kink
                // along η_v (v* is not unique), so no finite difference applies there
                continue;
            }
            double[] gu = new double[du];
            double[] gv = dv > 0 ? new double[dv] : null;
            l.softLoss(in.etaU(), in.etaV(), m.u(), tv, gu, gv);
            double[] d0 = gaussian(rnd, du);
            double[] d1 = dv > 0 ? gaussian(rnd, dv) : null;
            double eps = 1e-6;
            double plus = l.softLoss(shift(in.etaU(), d0, eps), shift(in.etaV(), d1, eps), m.u(), tv, new double[du],
                    dv > 0 ? new double[dv] : null);
            double minus = l.softLoss(shift(in.etaU(), d0, -eps), shift(in.etaV(), d1, -eps), m.u(), tv,
                    new double[du], dv > 0 ? new double[dv] : null);
            double fd = (plus - minus) / (2 * eps);
            double an = dot(gu, d0) + (dv > 0 ? dot(gv, d1) : 0);
            // SparseMAP's value is piecewise smooth: a kink inside ±eps is possible but rare on random scores
            assertThat(an).as("%s, seed %d", l.getClass().getSimpleName(), seed)
                    .isCloseTo(fd, within(1e-4 * Math.max(1, Math.abs(fd))));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theCrfSoftLossIsTheCrossEntropyOfTheMixture(int seed) {
        Instance in = instance(seed);
        Random rnd = new Random(2000 + seed);
        Mix m = mix(in, rnd);
        double logZ = logSumExp(in);
        double ce = 0;
        for (int i = 0; i < m.parts().size(); i++) {
            ce += m.weights()[i] * (logZ - m.parts().get(i).score(in.etaU(), in.etaV()));
        }
        StructuredLoss crf = in.poly() instanceof SequencePolytope p ? new CrfChainLoss(p, 1.0)
                : new CrfTreeLoss((TreePolytope) in.poly(), 1.0);
        int dv = in.poly().extraDim();
        double got = crf.softLoss(in.etaU(), in.etaV(), m.u(), dv > 0 ? m.v() : null,
                new double[in.poly().unaryDim()], dv > 0 ? new double[dv] : null);
        assertThat(got).isCloseTo(ce, within(1e-9 * Math.max(1, Math.abs(ce))));
    }

    @Test
    void minusInfinityScoresOutsideTheTargetAreAllowedInsideRefused() {
        SequencePolytope p = new SequencePolytope(3, 2);
        Random rnd = new Random(4);
        double[] u = gaussian(rnd, p.unaryDim());
        double[] v = gaussian(rnd, p.extraDim());
        Structure y = p.structure(new int[] {0, 1, 0});
        double[][] t = dense(y, p.unaryDim(), p.extraDim());
        // forbid tag 1 at position 0: the target (tag 0 there) is still allowed
        u[1] = Double.NEGATIVE_INFINITY;
        CrfChainLoss crf = new CrfChainLoss(p, 1.0);
        double[] gu = new double[p.unaryDim()];
        double[] gv = new double[p.extraDim()];
        double soft = crf.softLoss(u, v, t[0], t[1], gu, gv);
        assertThat(soft).isCloseTo(crf.loss(u, v, y, new double[p.unaryDim()], new double[p.extraDim()]),
                within(1e-9));
        assertThat(gu[1]).isZero();
        // mass on the forbidden part
        double[] bad = t[0].clone();
        bad[1] = 0.5;
        bad[0] = 0.5;
        assertThatThrownBy(() -> crf.softLoss(u, v, bad, t[1], new double[p.unaryDim()], new double[p.extraDim()]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forbid");
    }

    @Test
    void badTargetsAreRefused() {
        SequencePolytope p = new SequencePolytope(2, 2);
        double[] u = new double[p.unaryDim()];
        double[] v = new double[p.extraDim()];
        CrfChainLoss crf = new CrfChainLoss(p, 1.0);
        assertThatThrownBy(() -> crf.softLoss(u, v, new double[3], v, new double[4], new double[v.length]))
                .hasMessageContaining("entries");
        double[] nan = {Double.NaN, 0, 0, 0};
        assertThatThrownBy(() -> crf.softLoss(u, v, nan, v, new double[4], new double[v.length]))
                .hasMessageContaining("NaN");
        double[] neg = {-0.1, 1, 0, 1};
        assertThatThrownBy(() -> crf.softLoss(u, v, neg, v, new double[4], new double[v.length]))
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> crf.softLoss(u, v, new double[4], null, new double[4], new double[v.length]))
                .hasMessageContaining("additional");
        assertThatThrownBy(() -> new SparseMapLoss(p, true).softLoss(u, v, new double[4], v, new double[4],
                new double[v.length])).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new PerceptronLoss(p, false).softLoss(u, v, new double[4], v, new double[4],
                new double[v.length])).isInstanceOf(UnsupportedOperationException.class);
    }

    private static double logSumExp(Instance in) {
        double mx = Double.NEGATIVE_INFINITY;
        for (Structure s : in.all()) {
            mx = Math.max(mx, s.score(in.etaU(), in.etaV()));
        }
        double z = 0;
        for (Structure s : in.all()) {
            z += Math.exp(s.score(in.etaU(), in.etaV()) - mx);
        }
        return mx + Math.log(z);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void assertClose(double[] got, double[] want) {
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("entry %d", i).isCloseTo(want[i], within(1e-9));
        }
    }
}
