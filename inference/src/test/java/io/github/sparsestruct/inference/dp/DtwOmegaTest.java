package io.github.sparsestruct.inference.dp;

import static io.github.sparsestruct.inference.testing.Numeric.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.testing.Numeric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DtwOmegaTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final String[] ALL = {"negEntropy", "squaredL2", "entmax15", "hard"};

    /** A random cost matrix, NA ≤ maxA, NB ≤ maxB, with an optional band (−1: none) and some +∞ cells. */
    record Instance(int na, int nb, int band, double[] c) {
        static Instance random(Random rnd, int maxA, int maxB, boolean banded, double infProb) {
            int na = 1 + rnd.nextInt(maxA);
            int nb = 1 + rnd.nextInt(maxB);
            double[] c = new double[na * nb];
            for (int k = 0; k < c.length; k++) {
                c[k] = rnd.nextDouble() < infProb ? INF : 2 * rnd.nextDouble() - 0.5;
            }
            return new Instance(na, nb, banded ? rnd.nextInt(3) : -1, c);
        }

        /** The Sakoe-Chiba rule, written from the specification. */
        boolean allowed(int i, int j) {
            if (band < 0 || na == 1 || nb == 1) {
                return true;
            }
            return Math.abs(i * (nb - 1) - j * (na - 1)) <= band * Math.max(na - 1, nb - 1);
        }

        /** Every monotone alignment path from (0, 0) to the end, as lists of cells, by brute force. */
        List<int[][]> paths() {
            List<int[][]> out = new ArrayList<>();
            extend(new ArrayList<>(List.of(new int[] {0, 0})), out);
            return out;
        }

        private void extend(List<int[]> prefix, List<int[][]> out) {
            int[] last = prefix.get(prefix.size() - 1);
            if (last[0] == na - 1 && last[1] == nb - 1) {
                out.add(prefix.toArray(new int[0][]));
                return;
            }
            int[][] moves = {{1, 0}, {0, 1}, {1, 1}};
            for (int[] m : moves) {
                int i = last[0] + m[0];
                int j = last[1] + m[1];
                if (i < na && j < nb) {
                    prefix.add(new int[] {i, j});
                    extend(prefix, out);
                    prefix.remove(prefix.size() - 1);
                }
            }
        }

        /** Cost of a path; +∞ if it leaves the band or crosses a +∞ cell. */
        double cost(int[][] path) {
            double s = 0;
            for (int[] cell : path) {
                s += allowed(cell[0], cell[1]) ? c[cell[0] * nb + cell[1]] : INF;
            }
            return s;
        }

        double[] indicator(int[][] path) {
            double[] ind = new double[na * nb];
            for (int[] cell : path) {
                ind[cell[0] * nb + cell[1]] = 1;
            }
            return ind;
        }
    }

    static Stream<Long> seeds() {
        return Numeric.seeds(150);
    }

    static Stream<Arguments> smoothOpsAndSeeds() {
        return Stream.of("negEntropy", "squaredL2", "entmax15")
                .flatMap(name -> Numeric.seeds(60).map(seed -> Arguments.of(name, seed)));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void negEntropySoftDtwIsMinusGammaLogSumExpAndGradientIsTheGibbsExpectedAlignment(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 4, 5, seed % 2 == 0, seed % 3 == 0 ? 0.15 : 0);
        double gamma = 0.1 + 2 * rnd.nextDouble();
        List<int[][]> paths = in.paths();
        double[] scaled = paths.stream().mapToDouble(p -> -in.cost(p) / gamma).toArray();
        double logZ = Numeric.logSumExp(scaled, scaled.length);
        double[] expected = new double[in.na() * in.nb()];
        if (logZ != Double.NEGATIVE_INFINITY) {
            for (int n = 0; n < paths.size(); n++) {
                double prob = Math.exp(scaled[n] - logZ);
                double[] ind = in.indicator(paths.get(n));
                for (int k = 0; k < ind.length; k++) {
                    expected[k] += prob * ind[k];
                }
            }
        }
        double[] grad = new double[expected.length];
        double val = new DtwOmega(SmoothedMax.negEntropy(gamma)).gradient(in.c(), in.na(), in.nb(), in.band(), grad);
        if (logZ == Double.NEGATIVE_INFINITY) {
            assertThat(val).isEqualTo(INF);
        } else {
            assertClose(val, -gamma * logZ, 1e-11, "soft-DTW");
        }
        assertClose(grad, expected, 1e-11, "expected alignment");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hardDecodeFindsTheLeastCostEnumeratedAlignment(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 4, 5, seed % 2 == 0, seed % 5 == 0 ? 0.2 : 0);
        int[][] best = null;
        for (int[][] p : in.paths()) {
            if (best == null || in.cost(p) < in.cost(best)) {
                best = p;
            }
        }
        DtwOmega dtw = new DtwOmega(SmoothedMax.hard());
        List<int[]> path = new ArrayList<>();
        double cost = dtw.decode(in.c(), in.na(), in.nb(), in.band(), path);
        if (in.cost(best) == INF) {
            assertThat(cost).isEqualTo(INF);
            assertThat(path).isEmpty();
            return;
        }
        assertClose(cost, in.cost(best), 1e-12, "least cost");
        assertThat(path).containsExactly(best);
        double[] grad = new double[in.na() * in.nb()];
        assertThat(dtw.gradient(in.c(), in.na(), in.nb(), in.band(), grad)).isEqualTo(cost);
        assertThat(grad).containsExactly(in.indicator(best));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hardDecodeWithTiedIntegerCostsReturnsALeastCostValidPathAgreeingWithTheHardGradient(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 4, 5, false, 0);
        for (int k = 0; k < in.c().length; k++) {
            in.c()[k] = rnd.nextInt(3);
        }
        double best = in.paths().stream().mapToDouble(in::cost).min().getAsDouble();
        DtwOmega dtw = new DtwOmega(SmoothedMax.hard());
        List<int[]> path = new ArrayList<>();
        assertThat(dtw.decode(in.c(), in.na(), in.nb(), path)).isEqualTo(best);
        int[][] cells = path.toArray(new int[0][]);
        assertThat(in.paths()).anySatisfy(p -> assertThat(p).isDeepEqualTo(cells));
        assertThat(in.cost(cells)).isEqualTo(best);
        double[] grad = new double[in.na() * in.nb()];
        dtw.gradient(in.c(), in.na(), in.nb(), grad);
        assertThat(grad).containsExactly(in.indicator(cells));
    }

    @Test
    void hardDecodePrefersDiagonalThenUpThenLeftOnTies() {
        DtwOmega dtw = new DtwOmega(SmoothedMax.hard());
        List<int[]> path = new ArrayList<>();
        assertThat(dtw.decode(new double[9], 3, 3, path)).isEqualTo(0.0);
        assertThat(path).containsExactly(new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 2});
        dtw.decode(new double[6], 2, 3, path);
        assertThat(path).containsExactly(new int[] {0, 0}, new int[] {0, 1}, new int[] {1, 2});
        // from (2, 1) the diagonal (1, 0) is more expensive, so the tie between up (1, 1) and left (2, 0) remains
        dtw.decode(new double[] {0, 0, 5, 0, 0, 0}, 3, 2, path);
        assertThat(path).containsExactly(new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 1});
        dtw.decode(new double[] {0, 5, 0, 0, 0, 0}, 3, 2, path);
        assertThat(path).containsExactly(new int[] {0, 0}, new int[] {1, 0}, new int[] {2, 1});
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void gradientIsAnAlignmentRelaxationAndValueIsWithinTheSmoothingBound(String name, long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 4, 5, false, 0);
        double gamma = 0.2 + 2 * rnd.nextDouble();
        double[] grad = new double[in.na() * in.nb()];
        double val = new DtwOmega(DagDpTest.op(name, gamma)).gradient(in.c(), in.na(), in.nb(), grad);
        for (double e : grad) {
            assertThat(e).isBetween(0.0, 1.0 + 1e-12);
        }
        assertThat(grad[0]).isCloseTo(1.0, offset(1e-12));
        assertThat(grad[grad.length - 1]).isEqualTo(1.0);
        // every monotone path visits each row and each column at least once
        for (int i = 0; i < in.na(); i++) {
            double row = 0;
            for (int j = 0; j < in.nb(); j++) {
                row += grad[i * in.nb() + j];
            }
            assertThat(row).isGreaterThanOrEqualTo(1 - 1e-12);
        }
        for (int j = 0; j < in.nb(); j++) {
            double col = 0;
            for (int i = 0; i < in.na(); i++) {
                col += grad[i * in.nb() + j];
            }
            assertThat(col).isGreaterThanOrEqualTo(1 - 1e-12);
        }
        // min_Ω(x) = −max_Ω(−x) lies in [min(x) + minΩ, min(x) + maxΩ]; every cell applies it, over its 1..3
        // predecessors (the start for (0, 0)), so by induction the value lies between the least path cost plus the
        // minΩ of the cells it visits and the least path cost plus the maxΩ of the cells it visits
        double lower = INF;
        double upper = INF;
        double best = INF;
        for (int[][] path : in.paths()) {
            double lo = in.cost(path);
            double hi = lo;
            best = Math.min(best, lo);
            for (int[] cell : path) {
                int i = cell[0];
                int j = cell[1];
                int preds = i == 0 && j == 0 ? 1 : (i > 0 ? 1 : 0) + (j > 0 ? 1 : 0) + (i > 0 && j > 0 ? 1 : 0);
                lo += DagDpTest.minOmega(name, gamma, preds);
                hi += DagDpTest.maxOmega(name, gamma, preds);
            }
            lower = Math.min(lower, lo);
            upper = Math.min(upper, hi);
        }
        assertThat(val).isLessThanOrEqualTo(upper + 1e-12).isGreaterThanOrEqualTo(lower - 1e-12);
        if (name.equals("squaredL2")) {
            // each cell on a path adds between γ/6 and γ/2; a path visits max(NA, NB) .. NA + NB − 1 cells
            assertThat(val).isLessThanOrEqualTo(best + (in.na() + in.nb() - 1) * 0.5 * gamma + 1e-12)
                    .isGreaterThanOrEqualTo(best + Math.max(in.na(), in.nb()) * gamma / 6 - 1e-12);
        } else {
            assertThat(val).isLessThanOrEqualTo(best + 1e-12);
        }
    }

    /** The DTW cell graph as a DagDp on scores −C: node 0 is the start, node 1 + cell is a cell. */
    record CellGraph(DagDp dp, int[] cellOf) {
        static CellGraph of(int na, int nb, SmoothedMax op) {
            int[] ptr = new int[na * nb + 2];
            List<Integer> parents = new ArrayList<>();
            List<Integer> cells = new ArrayList<>();
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < nb; j++) {
                    int cell = i * nb + j;
                    if (cell == 0) {
                        parents.add(0);
                        cells.add(0);
                    }
                    int[][] preds = {{i - 1, j - 1}, {i - 1, j}, {i, j - 1}};
                    for (int[] p : preds) {
                        if (p[0] >= 0 && p[1] >= 0) {
                            parents.add(1 + p[0] * nb + p[1]);
                            cells.add(cell);
                        }
                    }
                    ptr[cell + 2] = parents.size();
                }
            }
            return new CellGraph(new DagDp(ptr, parents.stream().mapToInt(Integer::intValue).toArray(), op),
                    cells.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dtwEqualsMinusDagDpOfNegatedCostsForValueGradientAndHvp(long seed) {
        Random rnd = new Random(seed);
        Instance in = Instance.random(rnd, 7, 8, seed % 2 == 0, seed % 5 == 0 ? 0.1 : 0);
        String name = ALL[(int) (seed % 4)];
        SmoothedMax op = DagDpTest.op(name, 0.2 + 2 * rnd.nextDouble());
        int size = in.na() * in.nb();
        double[] z = Numeric.gaussian(rnd, size, 1);
        CellGraph cg = CellGraph.of(in.na(), in.nb(), op);
        int m = cg.cellOf().length;
        double[] theta = new double[m];
        double[] ze = new double[m];
        for (int k = 0; k < m; k++) {
            int cell = cg.cellOf()[k];
            theta[k] = in.allowed(cell / in.nb(), cell % in.nb()) ? -in.c()[cell] : Double.NEGATIVE_INFINITY;
            ze[k] = z[cell];
        }
        double[] eg = new double[m];
        double[] ehz = new double[m];
        double dpVal = cg.dp().hvp(theta, ze, eg, ehz);
        double[] expGrad = new double[size];
        double[] expHz = new double[size];
        for (int k = 0; k < m; k++) {
            expGrad[cg.cellOf()[k]] += eg[k];
            expHz[cg.cellOf()[k]] -= ehz[k];
        }
        DtwOmega dtw = new DtwOmega(op);
        double[] grad = new double[size];
        double[] hz = new double[size];
        double val = dtw.hvp(in.c(), in.na(), in.nb(), in.band(), z, grad, hz);
        if (dpVal == Double.NEGATIVE_INFINITY) {
            assertThat(val).isEqualTo(INF);
        } else {
            assertClose(val, -dpVal, 1e-12, name + " value");
        }
        assertClose(grad, expGrad, 1e-12, name + " gradient");
        assertClose(hz, expHz, 1e-10, name + " hvp");
        assertThat(dtw.value(in.c(), in.na(), in.nb(), in.band())).isEqualTo(val);
        double[] g2 = new double[size];
        assertThat(dtw.gradient(in.c(), in.na(), in.nb(), in.band(), g2)).isEqualTo(val);
        assertThat(g2).containsExactly(grad);
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void gradientAndHvpMatchFiniteDifferences(String name, long seed) {
        Random rnd = new Random(900 + seed);
        Instance in = Instance.random(rnd, 6, 6, seed % 2 == 0, seed % 4 == 0 ? 0.1 : 0);
        DtwOmega dtw = new DtwOmega(DagDpTest.op(name, 0.3 + 2 * rnd.nextDouble()));
        double h = name.equals("negEntropy") ? 1e-5 : 1e-6;
        int size = in.na() * in.nb();
        double[] d = Numeric.gaussian(rnd, size, 1);
        double[] grad = new double[size];
        double[] hz = new double[size];
        double val = dtw.hvp(in.c(), in.na(), in.nb(), in.band(), d, grad, hz);
        if (val == INF) {
            assertThat(grad).containsOnly(0.0);
            assertThat(hz).containsOnly(0.0);
            return;
        }
        double fd = Numeric.directional(c -> dtw.value(c, in.na(), in.nb(), in.band()), in.c(), d, h);
        assertClose(Numeric.dot(grad, d), fd, 1e-5, "directional derivative");
        double[] fdGrad = Numeric.directionalVector(c -> {
            double[] g = new double[size];
            dtw.gradient(c, in.na(), in.nb(), in.band(), g);
            return g;
        }, in.c(), d, h);
        assertClose(hz, fdGrad, 1e-5, "Hessian-vector product");
    }

    @Test
    void cellsOutsideTheBandAreNotReadAndGetZeroGradient() {
        Random rnd = new Random(3);
        int na = 6;
        int nb = 9;
        int band = 1;
        Instance in = new Instance(na, nb, band, new double[na * nb]);
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                in.c()[i * nb + j] = in.allowed(i, j) ? rnd.nextDouble() : Double.NaN;
            }
        }
        for (String name : ALL) {
            double[] grad = new double[na * nb];
            double[] hz = new double[na * nb];
            double val = new DtwOmega(DagDpTest.op(name, 0.5)).hvp(in.c(), na, nb, band,
                    Numeric.gaussian(rnd, na * nb, 1), grad, hz);
            assertThat(val).as(name).isFinite();
            for (int k = 0; k < grad.length; k++) {
                if (Double.isNaN(in.c()[k])) {
                    assertThat(grad[k]).isZero();
                    assertThat(hz[k]).isZero();
                }
            }
        }
        assertThatThrownBy(() -> new DtwOmega(SmoothedMax.negEntropy(1)).value(in.c(), na, nb))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void infeasibleAlignmentGivesPlusInfinityZeroDerivativesAndNoPath() {
        double[] c = new double[15]; // 3 x 5 with band 0: only (0,0), (1,2), (2,4) are allowed, not connected
        double[] blocked = {0, INF, 1, 2, INF, 3}; // 2 x 3 whose middle column is forbidden
        for (String name : ALL) {
            DtwOmega dtw = new DtwOmega(DagDpTest.op(name, 1));
            double[] grad = new double[15];
            double[] hz = new double[15];
            Arrays.fill(grad, 9);
            Arrays.fill(hz, 9);
            assertThat(dtw.hvp(c, 3, 5, 0, new double[15], grad, hz)).isEqualTo(INF);
            assertThat(grad).containsOnly(0.0);
            assertThat(hz).containsOnly(0.0);
            assertThat(dtw.gradient(blocked, 2, 3, grad)).isEqualTo(INF);
            assertThat(Arrays.copyOf(grad, 6)).containsOnly(0.0);
            List<int[]> path = new ArrayList<>(List.of(new int[] {7, 7}));
            assertThat(dtw.decode(c, 3, 5, 0, path)).isEqualTo(INF);
            assertThat(path).isEmpty();
        }
    }

    @Test
    void singleRowOrColumnHasOneAlignmentWhoseValueIsItsCostPlusTheVertexRegulariserPerCell() {
        double[] c = {0.5, 1.25, -2, 3};
        // γ = 0.5 keeps every intermediate value dyadic, so the comparisons are exact
        for (String name : ALL) {
            DtwOmega dtw = new DtwOmega(DagDpTest.op(name, 0.5));
            for (int[] shape : new int[][] {{1, 4}, {4, 1}, {1, 1}}) {
                int size = shape[0] * shape[1];
                double[] grad = new double[size];
                double[] hz = new double[size];
                double cost = Arrays.stream(c, 0, size).sum();
                // every cell has one predecessor (the start for the first), so min_Ω adds γ·Ω(vertex) per cell
                double expected = cost + size * DagDpTest.maxOmega(name, 0.5, 1);
                assertThat(dtw.hvp(c, shape[0], shape[1], 0, new double[] {1, 2, 3, 4}, grad, hz)).as(name)
                        .isEqualTo(expected);
                assertThat(grad).containsOnly(1.0);
                assertThat(hz).containsOnly(0.0);
                List<int[]> path = new ArrayList<>();
                assertThat(dtw.decode(c, shape[0], shape[1], path)).as("hard decode").isEqualTo(cost);
                assertThat(path).hasSize(size);
            }
        }
        // squared L2, 1 x 4: 2.75 plus γ/2 = 0.25 for each of the 4 cells
        assertThat(new DtwOmega(SmoothedMax.squaredL2(0.5)).value(c, 1, 4)).isEqualTo(3.75);
        assertThat(new DtwOmega(SmoothedMax.squaredL2(0.5)).value(c, 1, 1)).isEqualTo(0.75);
    }

    @Test
    void nanAndMinusInfinityCostsAreRejected() {
        DtwOmega dtw = new DtwOmega(SmoothedMax.squaredL2(1));
        assertThatThrownBy(() -> dtw.value(new double[] {0, Double.NaN, 1, 2}, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN at index 1");
        assertThatThrownBy(() -> dtw.gradient(new double[] {0, 1, Double.NEGATIVE_INFINITY, 2}, 2, 2, new double[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Infinity at index 2");
        assertThatThrownBy(() -> dtw.value(new double[3], 2, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dtw.value(new double[3], 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gradientDoesNotAllocateAfterWarmUp() {
        Random rnd = new Random(9);
        int n = 60;
        double[] c = Numeric.gaussian(rnd, n * n, 1);
        double[] grad = new double[n * n];
        double[] hz = new double[n * n];
        for (String name : ALL) {
            DtwOmega dtw = new DtwOmega(DagDpTest.op(name, 1));
            for (int i = 0; i < 200; i++) {
                dtw.gradient(c, n, n, grad);
                dtw.hvp(c, n, n, 3, c, grad, hz);
            }
            long before = Numeric.allocatedBytes();
            for (int i = 0; i < 20; i++) {
                dtw.gradient(c, n, n, grad);
                dtw.hvp(c, n, n, 3, c, grad, hz);
            }
            assertThat(Numeric.allocatedBytes() - before).as(name).isLessThan(1024);
        }
    }
}
