package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LinearAssignmentTest {
    static final double NEG = Double.NEGATIVE_INFINITY;

    /** Best total over all injective maps from the smaller side into the larger one. */
    static double bruteForce(int m, int k, double[] scores) {
        return m <= k ? bestRows(0, m, k, scores, new boolean[k], false)
                : bestRows(0, k, m, scores, new boolean[m], true);
    }

    private static double bestRows(int r, int rows, int cols, double[] s, boolean[] used, boolean transposed) {
        if (r == rows) {
            return 0;
        }
        double best = NEG;
        for (int c = 0; c < cols; c++) {
            if (used[c]) {
                continue;
            }
            double w = transposed ? s[c * rows + r] : s[r * cols + c];
            if (w == NEG) {
                continue;
            }
            used[c] = true;
            best = Math.max(best, w + bestRows(r + 1, rows, cols, s, used, transposed));
            used[c] = false;
        }
        return best;
    }

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void assignmentMatchesBruteForceOnRectangularMatrices(int seed) {
        Random rnd = new Random(seed);
        int m = 1 + seed % 4;
        int k = 1 + (seed / 4) % 4;
        check(rnd, m, k, (seed / 16) % 4);
    }

    static IntStream largeSeeds() {
        return IntStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("largeSeeds")
    void assignmentMatchesBruteForceOnSixBySix(int seed) {
        Random rnd = new Random(5000 + seed);
        int[][] shapes = {{6, 6}, {5, 7}, {7, 5}, {6, 6}};
        int[] shape = shapes[seed % 4];
        check(rnd, shape[0], shape[1], seed % 4);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void warmStartedSolvesOfChangingScoresStayExact(int seed) {
        Random rnd = new Random(9000 + seed);
        int n = 1 + rnd.nextInt(6);
        int k = seed % 5 == 0 ? n + 1 : n; // a rectangular call in between must not corrupt the warm start
        LinearAssignment warm = new LinearAssignment();
        double[] scores = new double[n * n];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = BruteForce.score(rnd, seed % 4);
        }
        for (int step = 0; step < 8; step++) {
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] != NEG) {
                    scores[i] += step % 2 == 0 ? 0.3 * rnd.nextGaussian() : rnd.nextInt(3) - 1;
                }
            }
            int[] rowToCol = new int[n];
            double got = warm.maximize(n, n, scores, rowToCol, true);
            double expected = bruteForce(n, n, scores);
            assertThat(BruteForce.close(got, expected, 1e-9)).as("step %d: %s vs %s", step, got, expected).isTrue();
            if (expected != NEG) {
                double total = 0;
                boolean[] used = new boolean[n];
                for (int i = 0; i < n; i++) {
                    assertThat(used[rowToCol[i]]).isFalse();
                    used[rowToCol[i]] = true;
                    total += scores[i * n + rowToCol[i]];
                }
                assertThat(BruteForce.close(total, expected, 1e-9)).isTrue();
            }
            if (k != n && step == 3) {
                double[] rect = new double[n * k];
                for (int i = 0; i < rect.length; i++) {
                    rect[i] = rnd.nextGaussian();
                }
                assertThat(BruteForce.close(warm.maximize(n, k, rect, new int[n], true), bruteForce(n, k, rect),
                        1e-9)).isTrue();
            }
        }
    }

    static void check(Random rnd, int m, int k, int mode) {
        double[] scores = new double[m * k];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = BruteForce.score(rnd, mode);
        }
        int[] rowToCol = new int[m];
        double got = new LinearAssignment().maximize(m, k, scores, rowToCol);
        double expected = bruteForce(m, k, scores);
        assertThat(BruteForce.close(got, expected, 1e-9)).as("%dx%d: value %s vs oracle %s", m, k, got, expected)
                .isTrue();
        if (expected == NEG) {
            assertThat(rowToCol).containsOnly(-1);
            return;
        }
        boolean[] usedCol = new boolean[k];
        int matched = 0;
        double total = 0;
        for (int i = 0; i < m; i++) {
            int j = rowToCol[i];
            if (j < 0) {
                assertThat(j).isEqualTo(-1);
                continue;
            }
            assertThat(j).isLessThan(k);
            assertThat(usedCol[j]).as("column %d used twice", j).isFalse();
            usedCol[j] = true;
            matched++;
            total += scores[i * k + j];
        }
        assertThat(matched).isEqualTo(Math.min(m, k));
        assertThat(BruteForce.close(total, got, 1e-12)).isTrue();
    }

    @Test
    void oneByOneAndOneRow() {
        int[] out = new int[1];
        assertThat(LinearAssignment.solve(1, 1, new double[] {-4}, out)).isEqualTo(-4.0);
        assertThat(out).containsExactly(0);
        assertThat(LinearAssignment.solve(1, 4, new double[] {1, 7, 7, NEG}, out)).isEqualTo(7.0);
        assertThat(out[0]).isIn(1, 2);
        int[] rows = new int[4];
        assertThat(LinearAssignment.solve(4, 1, new double[] {1, NEG, 3, 2}, rows)).isEqualTo(3.0);
        assertThat(rows).containsExactly(-1, -1, 0, -1);
    }

    @Test
    void noFullMatchingGivesMinusInfinity() {
        // Both rows can only use column 0.
        int[] out = new int[2];
        assertThat(LinearAssignment.solve(2, 2, new double[] {1, NEG, 2, NEG}, out)).isEqualTo(NEG);
        assertThat(out).containsExactly(-1, -1);
        assertThat(LinearAssignment.solve(1, 2, new double[] {NEG, NEG}, new int[1])).isEqualTo(NEG);
    }

    @Test
    void nanScoreIsRejected() {
        assertThatThrownBy(() -> LinearAssignment.solve(2, 2, new double[] {1, 2, Double.NaN, 0}, new int[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
