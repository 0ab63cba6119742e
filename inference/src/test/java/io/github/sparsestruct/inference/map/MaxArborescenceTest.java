package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MaxArborescenceTest {
    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void arborescenceMatchesBruteForceOnRandomTrees(int seed) {
        Random rnd = new Random(seed);
        int n = 1 + seed % 5;
        int mode = (seed / 5) % 4;
        double[] arcs = BruteForce.arcs(rnd, n, mode);
        MaxArborescence solver = new MaxArborescence();
        for (boolean single : new boolean[] {false, true}) {
            double expected = best(n, arcs, BruteForce.trees(n, false, single));
            int[] heads = new int[n + 1];
            double got = solver.maximize(n, arcs, single, heads);
            checkResult(n, arcs, single, expected, got, heads);
        }
    }

    @Test
    void singleWordHangsFromTheRoot() {
        int[] heads = new int[2];
        double[] arcs = {Double.NaN, 1.5, Double.NaN, Double.NaN};
        assertThat(MaxArborescence.decode(1, arcs, false, heads)).isEqualTo(1.5);
        assertThat(heads).containsExactly(-1, 0);
        assertThat(MaxArborescence.decode(1, arcs, true, heads)).isEqualTo(1.5);
        assertThat(heads).containsExactly(-1, 0);
    }

    @Test
    void forbiddenRootArcsLeaveNoTree() {
        int n = 3;
        double[] arcs = new double[16];
        arcs[0 * 4 + 1] = Double.NEGATIVE_INFINITY;
        arcs[0 * 4 + 2] = Double.NEGATIVE_INFINITY;
        arcs[0 * 4 + 3] = Double.NEGATIVE_INFINITY;
        int[] heads = new int[4];
        assertThat(MaxArborescence.decode(n, arcs, false, heads)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(heads).containsOnly(-1);
        assertThat(MaxArborescence.decode(n, arcs, true, heads)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(heads).containsOnly(-1);
    }

    @Test
    void twoWordsOnlyReachableFromTheRootHaveNoSingleRootTree() {
        // Words 1 and 2 can only take the root as head: multi-root tree exists, single-root does not.
        double ninf = Double.NEGATIVE_INFINITY;
        double[] arcs = {0, 1, 2, 0, 0, ninf, 0, ninf, 0};
        int[] heads = new int[3];
        assertThat(MaxArborescence.decode(2, arcs, false, heads)).isEqualTo(3.0);
        assertThat(heads).containsExactly(-1, 0, 0);
        assertThat(MaxArborescence.decode(2, arcs, true, heads)).isEqualTo(ninf);
        assertThat(heads).containsExactly(-1, -1, -1);
    }

    @Test
    void nanArcIsRejected() {
        double[] arcs = new double[9];
        arcs[1 * 3 + 2] = Double.NaN;
        assertThatThrownBy(() -> MaxArborescence.decode(2, arcs, false, new int[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void tiesAreResolvedDeterministically() {
        double[] arcs = new double[36];
        int[] first = new int[6];
        int[] second = new int[6];
        MaxArborescence.decode(5, arcs, true, first);
        new MaxArborescence().maximize(5, arcs, true, second);
        assertThat(second).containsExactly(first);
        assertThat(BruteForce.isTree(first, 5)).isTrue();
        assertThat(BruteForce.rootChildren(first, 5)).isEqualTo(1);
    }

    static IntStream largeSeeds() {
        return IntStream.range(0, 24);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("largeSeeds")
    void arborescenceMatchesReferenceChuLiuEdmondsOnLargeGraphs(int seed) {
        Random rnd = new Random(1000 + seed);
        int n = 30 + rnd.nextInt(31);
        int mode = seed % 4;
        double[] arcs = new double[(n + 1) * (n + 1)];
        for (int i = 0; i < arcs.length; i++) {
            // sparse -∞ keeps the large graphs mostly feasible
            arcs[i] = mode >= 2 && rnd.nextDouble() < 0.2 ? Double.NEGATIVE_INFINITY
                    : mode % 2 == 0 ? rnd.nextGaussian() : rnd.nextInt(5) - 2;
        }
        MaxArborescence solver = new MaxArborescence();
        for (boolean single : new boolean[] {false, true}) {
            double expected = single ? referenceSingleRoot(n, arcs) : referenceCle(n, arcs);
            int[] heads = new int[n + 1];
            double got = solver.maximize(n, arcs, single, heads);
            checkResult(n, arcs, single, expected, got, heads);
        }
    }

    static void checkResult(int n, double[] arcs, boolean single, double expected, double got, int[] heads) {
        assertThat(BruteForce.close(got, expected, 1e-9))
                .as("singleRoot=%s: value %s vs oracle %s", single, got, expected).isTrue();
        if (expected == Double.NEGATIVE_INFINITY) {
            assertThat(heads).containsOnly(-1);
            return;
        }
        assertThat(BruteForce.isTree(heads, n)).as("tree").isTrue();
        if (single) {
            assertThat(BruteForce.rootChildren(heads, n)).isEqualTo(1);
        }
        assertThat(BruteForce.close(BruteForce.treeScore(n, arcs, heads), got, 1e-12)).isTrue();
    }

    static double best(int n, double[] arcs, List<int[]> trees) {
        double best = Double.NEGATIVE_INFINITY;
        for (int[] t : trees) {
            best = Math.max(best, BruteForce.treeScore(n, arcs, t));
        }
        return best;
    }

    /** Single root by brute force over the root child: forbid every other root arc, run the reference. */
    static double referenceSingleRoot(int n, double[] arcs) {
        double best = Double.NEGATIVE_INFINITY;
        for (int r = 1; r <= n; r++) {
            if (arcs[r] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double[] a = arcs.clone();
            for (int m = 1; m <= n; m++) {
                if (m != r) {
                    a[m] = Double.NEGATIVE_INFINITY;
                }
            }
            best = Math.max(best, referenceCle(n, a));
        }
        return best;
    }

    /**
     * Textbook Chu-Liu-Edmonds on an edge list (relabel nodes after each round, subtract the chosen in-weight),
     * O(V·E); returns only the optimal value, -∞ when some node cannot be reached.
     */
    static double referenceCle(int n, double[] arcs) {
        int nodes = n + 1;
        List<double[]> edges = new ArrayList<>();
        for (int h = 0; h <= n; h++) {
            for (int m = 1; m <= n; m++) {
                double w = arcs[h * (n + 1) + m];
                if (h != m && w != Double.NEGATIVE_INFINITY) {
                    edges.add(new double[] {h, m, w});
                }
            }
        }
        int root = 0;
        double total = 0;
        while (true) {
            double[] in = new double[nodes];
            int[] pre = new int[nodes];
            java.util.Arrays.fill(in, Double.NEGATIVE_INFINITY);
            for (double[] e : edges) {
                int u = (int) e[0];
                int v = (int) e[1];
                if (u != v && v != root && e[2] > in[v]) {
                    in[v] = e[2];
                    pre[v] = u;
                }
            }
            for (int v = 0; v < nodes; v++) {
                if (v != root && in[v] == Double.NEGATIVE_INFINITY) {
                    return Double.NEGATIVE_INFINITY;
                }
            }
            int[] id = new int[nodes];
            int[] vis = new int[nodes];
            java.util.Arrays.fill(id, -1);
            java.util.Arrays.fill(vis, -1);
            int count = 0;
            for (int v = 0; v < nodes; v++) {
                if (v == root) {
                    continue;
                }
                total += in[v];
                int x = v;
                while (vis[x] != v && id[x] == -1 && x != root) {
                    vis[x] = v;
                    x = pre[x];
                }
                if (x != root && id[x] == -1) {
                    for (int y = pre[x]; y != x; y = pre[y]) {
                        id[y] = count;
                    }
                    id[x] = count++;
                }
            }
            if (count == 0) {
                return total;
            }
            for (int v = 0; v < nodes; v++) {
                if (id[v] == -1) {
                    id[v] = count++;
                }
            }
            List<double[]> next = new ArrayList<>();
            for (double[] e : edges) {
                int u = (int) e[0];
                int v = (int) e[1];
                int nu = id[u];
                int nv = id[v];
                if (nu != nv) {
                    next.add(new double[] {nu, nv, e[2] - in[v]});
                }
            }
            edges = next;
            nodes = count;
            root = id[root];
        }
    }
}
