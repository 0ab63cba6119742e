package io.github.sparsestruct.benchmarks.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The optimised kernels (issue 27) against their pre-optimisation copies, on seeded random instances. */
class KernelsMatchBaselineTest {
    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    private static double[] gaussian(Random rnd, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * rnd.nextGaussian();
        }
        return x;
    }

    /** Costs of shape na×nb: non-negative, sometimes huge, sometimes +∞ (forbidden cells). */
    private static double[] costs(Random rnd, int na, int nb, long seed) {
        double scale = seed % 3 == 0 ? 1e3 : seed % 3 == 1 ? 1.0 : 0.01;
        double[] c = new double[na * nb];
        for (int i = 0; i < c.length; i++) {
            c[i] = scale * Math.abs(rnd.nextGaussian());
            if (seed % 4 == 1 && rnd.nextDouble() < 0.15) {
                c[i] = Double.POSITIVE_INFINITY;
            }
            if (seed % 7 == 2 && rnd.nextDouble() < 0.05) {
                c[i] = 1e300;
            }
        }
        return c;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void softDtwValueAndGradientMatchTheBaseline(long seed) {
        Random rnd = new Random(1000 + seed);
        int[][] shapes = {{1, 1}, {1, 7}, {6, 1}, {2, 2}, {5, 9}, {13, 4}, {17, 23}, {40, 37}};
        int[] shape = shapes[(int) (seed % shapes.length)];
        int na = shape[0];
        int nb = shape[1];
        double gamma = seed % 5 == 0 ? 0.05 : seed % 5 == 1 ? 10.0 : 0.3 + 2 * rnd.nextDouble();
        SmoothedMax op = seed % 6 == 5 ? SmoothedMax.squaredL2(gamma) : SmoothedMax.negEntropy(gamma);
        double[] c = costs(rnd, na, nb, seed);
        int band = seed % 8 == 3 ? 2 : -1;
        DtwOmega dtw = new DtwOmega(op);
        DtwOmegaBaseline old = new DtwOmegaBaseline(op);
        double[] g = new double[na * nb];
        double[] g0 = new double[na * nb];
        double v = dtw.gradient(c, na, nb, band, g);
        double v0 = old.gradient(c, na, nb, band, g0);
        if (v0 == Double.POSITIVE_INFINITY) {
            assertThat(v).isEqualTo(v0);
        } else {
            assertThat(v).isCloseTo(v0, within(1e-10 * Math.max(1, Math.abs(v0))));
        }
        for (int k = 0; k < g.length; k++) {
            assertThat(g[k]).as("cell %d", k).isCloseTo(g0[k], within(1e-10));
            if (g0[k] == 0 && c[k] == Double.POSITIVE_INFINITY) {
                assertThat(g[k]).isEqualTo(0.0);
            }
        }
        assertThat(dtw.value(c, na, nb, band)).isEqualTo(v);
    }

    /** Small integer costs: the three predecessors of a cell often tie, in every order (the softmin's selects). */
    @ParameterizedTest
    @MethodSource("seeds")
    void dtwWithTiedCostsMatchesTheBaselineForBothOperators(long seed) {
        Random rnd = new Random(3000 + seed);
        int na = 1 + rnd.nextInt(30);
        int nb = 1 + rnd.nextInt(30);
        double gamma = seed % 3 == 0 ? 0.01 : 0.5 + rnd.nextDouble();
        double[] c = new double[na * nb];
        for (int k = 0; k < c.length; k++) {
            c[k] = rnd.nextInt(3);
            if (seed % 5 == 2 && rnd.nextDouble() < 0.1) {
                c[k] = Double.POSITIVE_INFINITY;
            }
        }
        for (SmoothedMax op : new SmoothedMax[] {SmoothedMax.negEntropy(gamma), SmoothedMax.squaredL2(gamma)}) {
            DtwOmega dtw = new DtwOmega(op);
            double[] g = new double[c.length];
            double[] g0 = new double[c.length];
            double v = dtw.gradient(c, na, nb, g);
            double v0 = new DtwOmegaBaseline(op).gradient(c, na, nb, g0);
            if (v0 == Double.POSITIVE_INFINITY) {
                assertThat(v).isEqualTo(v0);
            } else {
                assertThat(v).as("%s", op).isCloseTo(v0, within(1e-10 * Math.max(1, Math.abs(v0))));
            }
            for (int k = 0; k < g.length; k++) {
                assertThat(g[k]).as("%s cell %d", op, k).isCloseTo(g0[k], within(1e-10));
            }
            // the gradient reuses the workspace: a second call on the same instance gives the same numbers
            double[] g2 = new double[c.length];
            assertThat(dtw.gradient(c, na, nb, g2)).isEqualTo(v);
            assertThat(g2).containsExactly(g);
        }
    }

    /**
     * Vit_Ω negentropy (values kept as m + γ log σ, logs only at the end): ties, masks, size 1, and chains long enough
     * (all-tied scores, σ ~ S^t) for σ to pass 2^200 and be folded into m; the HVP's gradient (normalised weights)
     * and a second call on the same instance agree too.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void viterbiNegEntropyMatchesTheBaselineWithTiesMasksAndLongChains(long seed) {
        Random rnd = new Random(5000 + seed);
        int s = seed % 10 == 7 ? 1 : 1 + rnd.nextInt(12);
        int t = seed % 5 == 0 ? 100 + rnd.nextInt(150) : seed % 10 == 3 ? 1 : 1 + rnd.nextInt(40);
        double gamma = seed % 4 == 0 ? 0.01 : seed % 4 == 1 ? 100 : 0.2 + 2 * rnd.nextDouble();
        SmoothedMax op = SmoothedMax.negEntropy(gamma);
        double[] theta = new double[t * s * s];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = seed % 5 == 0 ? 0.0 : seed % 2 == 0 ? rnd.nextInt(3) : 30 * rnd.nextGaussian();
            if (seed % 3 == 1 && rnd.nextDouble() < 0.25) {
                theta[k] = Double.NEGATIVE_INFINITY;
            }
        }
        double[] g = new double[theta.length];
        double[] g0 = new double[theta.length];
        ViterbiOmega vit = new ViterbiOmega(op, s, 1);
        double v = vit.gradient(theta, 0, t, g, 0);
        double v0 = new ViterbiOmegaBaseline(op, s, t).gradient(theta, 0, t, g0, 0);
        if (v0 == Double.NEGATIVE_INFINITY) {
            assertThat(v).isEqualTo(v0);
        } else {
            assertThat(v).isCloseTo(v0, within(1e-10 * Math.max(1, Math.abs(v0))));
        }
        for (int k = 0; k < g.length; k++) {
            assertThat(g[k]).as("entry %d", k).isCloseTo(g0[k], within(1e-10));
            if (theta[k] == Double.NEGATIVE_INFINITY) {
                assertThat(g[k]).as("masked entry %d", k).isEqualTo(0.0);
            }
        }
        assertThat(vit.value(theta, 0, t)).isEqualTo(v);
        double[] g2 = new double[theta.length];
        assertThat(vit.gradient(theta, 0, t, g2, 0)).isEqualTo(v);
        assertThat(g2).containsExactly(g);
        double[] z = new double[theta.length];
        double[] gh = new double[theta.length];
        double[] hz = new double[theta.length];
        assertThat(vit.hvp(theta, 0, t, z, 0, gh, 0, hz, 0)).isEqualTo(v);
        for (int k = 0; k < g.length; k++) {
            assertThat(gh[k]).as("hvp gradient entry %d", k).isCloseTo(g0[k], within(1e-10));
        }
    }

    /** Vit_Ω with Ω = (γ/2)‖·‖² (the sort-free sparsemax) on the benchmark's shape, with ties and masks. */
    @ParameterizedTest
    @MethodSource("seeds")
    void viterbiSquaredL2MatchesTheBaselineWithTiesAndMasks(long seed) {
        Random rnd = new Random(4000 + seed);
        int s = 1 + rnd.nextInt(12);
        int t = 1 + rnd.nextInt(40);
        double gamma = seed % 4 == 0 ? 0.01 : seed % 4 == 1 ? 100 : 0.2 + 2 * rnd.nextDouble();
        SmoothedMax op = SmoothedMax.squaredL2(gamma);
        double[] theta = new double[t * s * s];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = seed % 2 == 0 ? rnd.nextInt(3) : rnd.nextGaussian();
            if (seed % 3 == 1 && rnd.nextDouble() < 0.25) {
                theta[k] = Double.NEGATIVE_INFINITY;
            }
        }
        double[] g = new double[theta.length];
        double[] g0 = new double[theta.length];
        double v = new ViterbiOmega(op, s, 1).gradient(theta, 0, t, g, 0);
        double v0 = new ViterbiOmegaBaseline(op, s, t).gradient(theta, 0, t, g0, 0);
        if (v0 == Double.NEGATIVE_INFINITY) {
            assertThat(v).isEqualTo(v0);
        } else {
            assertThat(v).isCloseTo(v0, within(1e-10 * Math.max(1, Math.abs(v0))));
        }
        for (int k = 0; k < g.length; k++) {
            assertThat(g[k]).as("entry %d", k).isCloseTo(g0[k], within(1e-10));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void viterbiOmegaMatchesTheBaseline(long seed) {
        Random rnd = new Random(2000 + seed);
        int s = 1 + (int) (seed % 9);
        int t = 1 + (int) (seed % 13);
        double gamma = 0.1 + 3 * rnd.nextDouble();
        SmoothedMax op = seed % 2 == 0 ? SmoothedMax.negEntropy(gamma) : SmoothedMax.squaredL2(gamma);
        double[] theta = gaussian(rnd, t * s * s, seed % 3 == 0 ? 50 : 1);
        for (int k = 0; k < theta.length; k++) {
            if (seed % 4 == 1 && rnd.nextDouble() < 0.2) {
                theta[k] = Double.NEGATIVE_INFINITY;
            }
        }
        double[] g = new double[theta.length];
        double[] g0 = new double[theta.length];
        double v = new ViterbiOmega(op, s, t).gradient(theta, 0, t, g, 0);
        double v0 = new ViterbiOmegaBaseline(op, s, t).gradient(theta, 0, t, g0, 0);
        if (v0 == Double.NEGATIVE_INFINITY) {
            assertThat(v).isEqualTo(v0);
        } else {
            assertThat(v).isCloseTo(v0, within(1e-10 * Math.max(1, Math.abs(v0))));
        }
        for (int k = 0; k < g.length; k++) {
            assertThat(g[k]).isCloseTo(g0[k], within(1e-10));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void chainOracleGivesTheBaselineTags(long seed) {
        Random rnd = new Random(3000 + seed);
        int t = 1 + (int) (seed % 11);
        int s = 1 + (int) (seed % 5);
        SequencePolytope p = new SequencePolytope(t, s);
        SequencePolytopeBaseline p0 = new SequencePolytopeBaseline(t, s);
        for (int rep = 0; rep < 20; rep++) {
            double[] u = gaussian(rnd, p.unaryDim(), 1);
            double[] v = gaussian(rnd, p.extraDim(), 1);
            for (int k = 0; k < u.length; k++) {
                if (rep % 3 == 0) {
                    u[k] = Math.rint(u[k]); // many ties
                }
                if (rep % 4 == 1 && rnd.nextDouble() < 0.3) {
                    u[k] = Double.NEGATIVE_INFINITY;
                }
            }
            for (int k = 0; k < v.length; k++) {
                if (rep % 3 == 0) {
                    v[k] = Math.rint(v[k]);
                }
                if (rep % 5 == 2 && rnd.nextDouble() < 0.3) {
                    v[k] = Double.NEGATIVE_INFINITY;
                }
            }
            Structure y0 = p0.argmax(u, v);
            assertThat(p.argmaxValidated(u, v)).isEqualTo(y0);
            assertThat(p.argmax(u, v)).isEqualTo(y0);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void treeOracleGivesTheBaselineHeads(long seed) {
        Random rnd = new Random(4000 + seed);
        int n = 1 + (int) (seed % 12);
        boolean single = seed % 2 == 1;
        TreePolytope p = new TreePolytope(n, false, single);
        TreePolytopeBaseline p0 = new TreePolytopeBaseline(n, false, single);
        for (int rep = 0; rep < 20; rep++) {
            double[] u = gaussian(rnd, p.unaryDim(), 1);
            for (int k = 0; k < u.length; k++) {
                if (rep % 3 == 0) {
                    u[k] = Math.rint(u[k]);
                }
                if (rep % 4 == 1 && rnd.nextDouble() < 0.3) {
                    u[k] = Double.NEGATIVE_INFINITY;
                }
            }
            Structure y0 = p0.argmax(u, null);
            Structure y = p.argmaxValidated(u, null);
            assertThat(y).isEqualTo(y0);
            if (y0 != null) {
                assertThat(y.unary()).containsExactly(y0.unary());
            }
        }
    }

    /**
     * The arborescence oracle alone (live-slot list, row-swept contraction, reused workspace) against the baseline:
     * one solver for sizes 1..40 in turn, heavy ties (scores in {0, 1}), many −∞ arcs, single root or not, and NaN
     * in the ignored diagonal and column 0; same heads and score.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void arborescenceGivesTheBaselineHeadsWithTiesMasksAndReuse(long seed) {
        Random rnd = new Random(6000 + seed);
        MaxArborescence solver = new MaxArborescence();
        for (int rep = 0; rep < 12; rep++) {
            int n = rep == 0 ? 1 : 1 + rnd.nextInt(40);
            boolean single = (seed + rep) % 2 == 1;
            int nn = n + 1;
            double[] arcs = new double[nn * nn];
            for (int k = 0; k < arcs.length; k++) {
                arcs[k] = seed % 3 == 0 ? rnd.nextInt(2) : seed % 3 == 1 ? Math.rint(2 * rnd.nextGaussian())
                        : rnd.nextGaussian();
                if (rep % 3 == 1 && rnd.nextDouble() < 0.6) {
                    arcs[k] = Double.NEGATIVE_INFINITY;
                }
            }
            for (int h = 0; h < nn; h++) {
                arcs[h * nn] = Double.NaN;
                arcs[h * nn + h] = Double.NaN;
            }
            int[] heads = new int[nn];
            int[] heads0 = new int[nn];
            double best = solver.maximizeValidated(n, arcs, single, heads);
            double best0 = new MaxArborescenceBaseline().maximize(n, arcs, single, heads0);
            assertThat(heads).as("n = %d, single root %s", n, single).containsExactly(heads0);
            assertThat(best).isEqualTo(best0);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sparseMapMatchesTheBaseline(long seed) {
        Random rnd = new Random(5000 + seed);
        StructuredPolytope p;
        StructuredPolytope p0;
        double[] u;
        double[] v = null;
        switch ((int) (seed % 3)) {
            case 0 -> {
                int t = 2 + (int) (seed % 29);
                SequencePolytope sp = new SequencePolytope(t, 9);
                p = sp;
                p0 = new SequencePolytopeBaseline(t, 9);
                u = gaussian(rnd, sp.unaryDim(), 1);
                v = gaussian(rnd, sp.extraDim(), 1);
            }
            case 1 -> {
                int n = 2 + (int) (seed % 24);
                p = new TreePolytope(n, false, seed % 2 == 0);
                p0 = new TreePolytopeBaseline(n, false, seed % 2 == 0);
                u = gaussian(rnd, p.unaryDim(), 1);
            }
            default -> {
                // ties: integer scores
                SequencePolytope sp = new SequencePolytope(6, 3);
                p = sp;
                p0 = new SequencePolytopeBaseline(6, 3);
                u = gaussian(rnd, sp.unaryDim(), 1);
                v = gaussian(rnd, sp.extraDim(), 1);
                for (int k = 0; k < u.length; k++) {
                    u[k] = Math.rint(u[k]);
                }
                for (int k = 0; k < v.length; k++) {
                    v[k] = Math.rint(v[k]);
                }
            }
        }
        SparseMapResult r = new ActiveSetSolver().solve(p, u, v);
        SparseMapResult r0 = new ActiveSetSolverBaseline().solve(p0, u, v);
        assertThat(r.converged()).isEqualTo(r0.converged());
        assertThat(r.gap()).isLessThanOrEqualTo(1e-9);
        assertThat(r.objective()).isCloseTo(r0.objective(), within(1e-9));
        for (int k = 0; k < r.u().length; k++) {
            assertThat(r.u()[k]).isCloseTo(r0.u()[k], within(1e-9));
        }
        for (int k = 0; k < r.v().length; k++) {
            assertThat(r.v()[k]).isCloseTo(r0.v()[k], within(1e-9));
        }
        double total = 0;
        for (double w : r.weights()) {
            assertThat(w).isPositive();
            total += w;
        }
        assertThat(total).isCloseTo(1.0, within(1e-12));
    }
}
