package io.github.sparsestruct.inference.dp;

import static io.github.sparsestruct.inference.testing.Numeric.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.testing.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DagDpTest {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    /** A random DAG in CSR-by-child form with 2..7 nodes, each node ≥ 1 having 1..3 distinct earlier parents. */
    record Dag(int[] ptr, int[] parent) {
        static Dag random(Random rnd) {
            int n = 2 + rnd.nextInt(6);
            int[] ptr = new int[n + 1];
            List<Integer> parents = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                int deg = 1 + rnd.nextInt(Math.min(i, 3));
                List<Integer> cand = new ArrayList<>();
                for (int j = 0; j < i; j++) {
                    cand.add(j);
                }
                java.util.Collections.shuffle(cand, rnd);
                parents.addAll(cand.subList(0, deg));
                ptr[i + 1] = parents.size();
            }
            return new Dag(ptr, parents.stream().mapToInt(Integer::intValue).toArray());
        }

        int numEdges() {
            return parent.length;
        }

        /** Every path from node 0 to {@code node}, as edge index lists, by brute-force recursion. */
        List<int[]> pathsTo(int node) {
            List<int[]> out = new ArrayList<>();
            if (node == 0) {
                out.add(new int[0]);
                return out;
            }
            for (int k = ptr[node]; k < ptr[node + 1]; k++) {
                for (int[] p : pathsTo(parent[k])) {
                    int[] q = java.util.Arrays.copyOf(p, p.length + 1);
                    q[p.length] = k;
                    out.add(q);
                }
            }
            return out;
        }
    }

    private static double score(int[] path, double[] theta) {
        double s = 0;
        for (int k : path) {
            s += theta[k];
        }
        return s;
    }

    private static double[] randomTheta(Random rnd, int m, boolean withMasks) {
        double[] theta = Numeric.gaussian(rnd, m, 1.5);
        if (withMasks) {
            for (int k = 0; k < m; k++) {
                if (rnd.nextInt(6) == 0) {
                    theta[k] = NEG_INF;
                }
            }
        }
        return theta;
    }

    static Stream<Long> seeds() {
        return Numeric.seeds(150);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void negEntropyDagValueIsLogSumExpOverAllPathsAndGradientIsGibbsEdgeMarginals(long seed) {
        Random rnd = new Random(seed);
        Dag g = Dag.random(rnd);
        double gamma = 0.1 + 2 * rnd.nextDouble();
        double[] theta = randomTheta(rnd, g.numEdges(), true);
        List<int[]> paths = g.pathsTo(g.ptr().length - 2);
        double[] scaled = paths.stream().mapToDouble(p -> score(p, theta) / gamma).toArray();
        double logZ = Numeric.logSumExp(scaled, scaled.length);
        double[] marg = new double[g.numEdges()];
        if (logZ != NEG_INF) {
            for (int y = 0; y < paths.size(); y++) {
                double prob = Math.exp(scaled[y] - logZ);
                for (int k : paths.get(y)) {
                    marg[k] += prob;
                }
            }
        }
        DagDp dp = new DagDp(g.ptr(), g.parent(), SmoothedMax.negEntropy(gamma));
        double[] grad = new double[g.numEdges()];
        double val = dp.gradient(theta, grad);
        if (logZ == NEG_INF) {
            assertThat(val).isEqualTo(NEG_INF);
        } else {
            assertClose(val, gamma * logZ, 1e-11, "value");
        }
        assertClose(grad, marg, 1e-11, "edge marginals");
        assertThat(dp.value(theta)).isEqualTo(val);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void hardDagValueIsTheBestPathScoreAndGradientIsItsIndicator(long seed) {
        Random rnd = new Random(seed);
        Dag g = Dag.random(rnd);
        double[] theta = randomTheta(rnd, g.numEdges(), false);
        List<int[]> paths = g.pathsTo(g.ptr().length - 2);
        int[] best = null;
        for (int[] p : paths) {
            if (best == null || score(p, theta) > score(best, theta)) {
                best = p;
            }
        }
        double[] indicator = new double[g.numEdges()];
        for (int k : best) {
            indicator[k] = 1;
        }
        double[] grad = new double[g.numEdges()];
        double val = new DagDp(g.ptr(), g.parent(), SmoothedMax.hard()).gradient(theta, grad);
        assertClose(val, score(best, theta), 1e-12, "best path score");
        assertThat(grad).containsExactly(indicator);
    }

    static Stream<Arguments> smoothOpsAndSeeds() {
        return Stream.of("negEntropy", "squaredL2", "entmax15")
                .flatMap(name -> Numeric.seeds(60).map(seed -> Arguments.of(name, seed)));
    }

    static SmoothedMax op(String name, double gamma) {
        return switch (name) {
            case "negEntropy" -> SmoothedMax.negEntropy(gamma);
            case "squaredL2" -> SmoothedMax.squaredL2(gamma);
            case "entmax15" -> SmoothedMax.entmax15(gamma);
            case "hard" -> SmoothedMax.hard();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * max of γ·Ω over the simplex on n entries, attained on the vertices: γ/2 for (γ/2)‖·‖², 0 for the other
     * operators. max_Ω(x) ≥ max(x) − maxOmega, with equality when x has a single finite entry.
     */
    static double maxOmega(String name, double gamma, int n) {
        return name.equals("squaredL2") ? 0.5 * gamma : 0;
    }

    /**
     * min of γ·Ω over the simplex on n entries, attained at the uniform distribution: max_Ω(x) ≤ max(x) − minOmega.
     */
    static double minOmega(String name, double gamma, int n) {
        return switch (name) {
            case "negEntropy" -> -gamma * Math.log(n);
            case "squaredL2" -> 0.5 * gamma / n;
            case "entmax15" -> gamma * (1 / Math.sqrt(n) - 1) / 0.75;
            default -> 0;
        };
    }

    /** The node an edge enters. */
    private static int child(Dag g, int k) {
        int i = 1;
        while (g.ptr()[i + 1] <= k) {
            i++;
        }
        return i;
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void gradientIsAUnitFlowFromStartToEndAndValueIsWithinTheSmoothingBound(String name, long seed) {
        Random rnd = new Random(seed);
        Dag g = Dag.random(rnd);
        int n = g.ptr().length - 1;
        double gamma = 0.2 + 2 * rnd.nextDouble();
        double[] theta = randomTheta(rnd, g.numEdges(), false);
        double[] grad = new double[g.numEdges()];
        double val = new DagDp(g.ptr(), g.parent(), op(name, gamma)).gradient(theta, grad);
        // max(x) − maxΩ ≤ max_Ω(x) ≤ max(x) − minΩ at every node (all θ finite, so node i has deg_i finite inputs);
        // by induction over the topological order the value lies between the best path score minus the maxΩ of the
        // nodes it enters and the best path score minus the minΩ of the nodes it enters
        double lower = NEG_INF;
        double upper = NEG_INF;
        double best = NEG_INF;
        for (int[] path : g.pathsTo(n - 1)) {
            double lo = score(path, theta);
            double hi = lo;
            best = Math.max(best, lo);
            for (int k : path) {
                int i = child(g, k);
                int deg = g.ptr()[i + 1] - g.ptr()[i];
                lo -= maxOmega(name, gamma, deg);
                hi -= minOmega(name, gamma, deg);
            }
            lower = Math.max(lower, lo);
            upper = Math.max(upper, hi);
        }
        assertThat(val).isGreaterThanOrEqualTo(lower - 1e-12).isLessThanOrEqualTo(upper + 1e-12);
        if (name.equals("squaredL2")) {
            // each node on a path subtracts between γ/(2 deg) and γ/2, and every path enters the end node
            int endDeg = g.ptr()[n] - g.ptr()[n - 1];
            assertThat(val).isLessThanOrEqualTo(best - 0.5 * gamma / endDeg + 1e-12)
                    .isGreaterThanOrEqualTo(best - (n - 1) * 0.5 * gamma - 1e-12);
        } else {
            assertThat(val).isGreaterThanOrEqualTo(best - 1e-12);
        }
        // a nonnegative unit flow on a DAG decomposes into a convex combination of start-end paths
        double[] in = new double[n];
        double[] out = new double[n];
        for (int i = 1; i < n; i++) {
            for (int k = g.ptr()[i]; k < g.ptr()[i + 1]; k++) {
                assertThat(grad[k]).isBetween(0.0, 1.0 + 1e-12);
                in[i] += grad[k];
                out[g.parent()[k]] += grad[k];
            }
        }
        assertThat(in[n - 1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(out[0]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 1; i < n - 1; i++) {
            assertThat(in[i]).as("flow conservation at node %d", i)
                    .isCloseTo(out[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @ParameterizedTest
    @MethodSource("smoothOpsAndSeeds")
    void gradientAndHvpMatchFiniteDifferences(String name, long seed) {
        Random rnd = new Random(1000 + seed);
        Dag g = Dag.random(rnd);
        double gamma = 0.3 + 2 * rnd.nextDouble();
        DagDp dp = new DagDp(g.ptr(), g.parent(), op(name, gamma));
        int m = g.numEdges();
        double[] theta = randomTheta(rnd, m, true);
        double[] d = Numeric.gaussian(rnd, m, 1);
        double h = name.equals("negEntropy") ? 1e-5 : 1e-6;
        double[] grad = new double[m];
        double[] hz = new double[m];
        double val = dp.hvp(theta, d, grad, hz);
        assertThat(val).isEqualTo(dp.value(theta));
        if (val == NEG_INF) {
            return;
        }
        double fd = Numeric.directional(dp::value, theta, d, h);
        assertClose(Numeric.dot(grad, d), fd, 1e-5, "directional derivative");
        double[] fdGrad = Numeric.directionalVector(t -> {
            double[] gr = new double[m];
            dp.gradient(t, gr);
            return gr;
        }, theta, d, h);
        assertClose(hz, fdGrad, 1e-5, "Hessian-vector product");
    }

    @Test
    void unreachableEndGivesMinusInfinityAndZeroDerivatives() {
        // 0 -> 1 -> 3, 0 -> 2 -> 3 with both edges into 3 masked
        int[] ptr = {0, 0, 1, 2, 4};
        int[] parent = {0, 0, 1, 2};
        double[] theta = {1, 2, NEG_INF, NEG_INF};
        for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
            DagDp dp = new DagDp(ptr, parent, op(name, 1));
            double[] grad = {9, 9, 9, 9};
            double[] hz = {9, 9, 9, 9};
            assertThat(dp.hvp(theta, new double[] {1, 1, 1, 1}, grad, hz)).isEqualTo(NEG_INF);
            assertThat(grad).containsOnly(0.0);
            assertThat(hz).containsOnly(0.0);
        }
    }

    @Test
    void maskedEdgesGetZeroGradient() {
        Random rnd = new Random(77);
        for (int trial = 0; trial < 100; trial++) {
            Dag g = Dag.random(rnd);
            double[] theta = randomTheta(rnd, g.numEdges(), true);
            for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
                double[] grad = new double[g.numEdges()];
                new DagDp(g.ptr(), g.parent(), op(name, 1)).gradient(theta, grad);
                for (int k = 0; k < theta.length; k++) {
                    if (theta[k] == NEG_INF) {
                        assertThat(grad[k]).isEqualTo(0.0);
                    }
                }
            }
        }
    }

    @Test
    void singleNodeGraphHasValueZero() {
        DagDp dp = new DagDp(new int[] {0, 0}, new int[0], SmoothedMax.negEntropy(1));
        assertThat(dp.gradient(new double[0], new double[0])).isEqualTo(0.0);
        assertThat(dp.numNodes()).isEqualTo(1);
    }

    @Test
    void chainGraphValueIsTheSumOfItsEdgesMinusTheVertexRegulariserAtEachNodeForEveryOperator() {
        int[] ptr = {0, 0, 1, 2, 3};
        int[] parent = {0, 1, 2};
        double[] theta = {0.5, -2, 3.25};
        // γ = 0.75 keeps every intermediate value dyadic, so the comparison is exact
        for (String name : new String[] {"negEntropy", "squaredL2", "entmax15", "hard"}) {
            double[] grad = new double[3];
            double expected = 1.75 - 3 * maxOmega(name, 0.75, 1);
            assertThat(new DagDp(ptr, parent, op(name, 0.75)).gradient(theta, grad)).as(name).isEqualTo(expected);
            assertThat(grad).containsExactly(1, 1, 1);
        }
        // squared L2: each of the three one-parent nodes subtracts γ/2
        assertThat(new DagDp(ptr, parent, op("squaredL2", 0.75)).value(theta)).isEqualTo(0.625);
    }

    @Test
    void malformedGraphsAreRejected() {
        SmoothedMax op = SmoothedMax.negEntropy(1);
        assertThatThrownBy(() -> new DagDp(new int[] {0, 0, 1, 1}, new int[] {0}, op))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 2 has no parent");
        assertThatThrownBy(() -> new DagDp(new int[] {0, 0, 1, 2}, new int[] {0, 2}, op))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parent 2");
        assertThatThrownBy(() -> new DagDp(new int[] {0, 0, 1}, new int[] {0, 0}, op))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number of edges");
        assertThatThrownBy(() -> new DagDp(new int[] {0, 1, 2}, new int[] {0, 0}, op))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no incoming edges");
        assertThatThrownBy(() -> new DagDp(new int[] {0}, new int[0], op))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nanAndPlusInfinityWeightsAreRejectedWithTheEdgeIndex() {
        DagDp dp = new DagDp(new int[] {0, 0, 1, 3}, new int[] {0, 0, 1}, SmoothedMax.negEntropy(1));
        assertThatThrownBy(() -> dp.value(new double[] {0, 1, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("theta contains NaN at index 2");
        assertThatThrownBy(() -> dp.value(new double[] {Double.POSITIVE_INFINITY, 1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 0");
        assertThatThrownBy(() -> dp.value(new double[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }
}
