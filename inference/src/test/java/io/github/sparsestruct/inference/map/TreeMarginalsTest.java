package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MatrixTree} and {@link InsideOutside} against Gibbs distributions over enumerated trees. */
class TreeMarginalsTest {
    static final double NEG = Double.NEGATIVE_INFINITY;
    static final double[] GAMMAS = {0.1, 0.3, 1.0, 2.5};

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matrixTreeMatchesEnumeratedGibbsDistribution(int seed) {
        checkAgainstEnumeration(seed, false);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void insideOutsideMatchesEnumeratedGibbsDistributionOverProjectiveTrees(int seed) {
        checkAgainstEnumeration(seed, true);
    }

    static void checkAgainstEnumeration(int seed, boolean projective) {
        Random rnd = new Random(seed);
        int n = 1 + seed % 5;
        double[] arcs = BruteForce.arcs(rnd, n, (seed / 5) % 4);
        checkAgainstEnumeration(n, arcs, GAMMAS[(seed / 20) % GAMMAS.length], projective);
    }

    static void checkAgainstEnumeration(int n, double[] arcs, double gamma, boolean projective) {
        int nn = n + 1;
        for (boolean single : new boolean[] {false, true}) {
            List<int[]> trees = BruteForce.trees(n, projective, single);
            double[] logw = new double[trees.size()];
            for (int i = 0; i < logw.length; i++) {
                logw[i] = BruteForce.treeScore(n, arcs, trees.get(i)) / gamma;
            }
            double logZ = BruteForce.logSumExp(logw);
            double expected = logZ == NEG ? NEG : gamma * logZ;
            double[] expMarg = new double[nn * nn];
            if (logZ != NEG) {
                for (int i = 0; i < logw.length; i++) {
                    double p = Math.exp(logw[i] - logZ);
                    int[] heads = trees.get(i);
                    for (int m = 1; m <= n; m++) {
                        expMarg[heads[m] * nn + m] += p;
                    }
                }
            }
            double[] marg = new double[nn * nn];
            java.util.Arrays.fill(marg, 42);
            double got = projective ? new InsideOutside().compute(n, arcs, single, gamma, marg)
                    : new MatrixTree().compute(n, arcs, single, gamma, marg);
            assertThat(BruteForce.close(got, expected, 1e-9))
                    .as("singleRoot=%s gamma=%s: log-partition %s vs oracle %s", single, gamma, got, expected)
                    .isTrue();
            for (int i = 0; i < nn * nn; i++) {
                assertThat(Math.abs(marg[i] - expMarg[i])).as("marginal %d->%d (singleRoot=%s)", i / nn, i % nn,
                        single).isLessThanOrEqualTo(1e-9);
            }
            if (expected != NEG) {
                for (int m = 1; m <= n; m++) {
                    double sum = 0;
                    for (int h = 0; h <= n; h++) {
                        sum += marg[h * nn + m];
                    }
                    assertThat(sum).as("marginals of word %d sum to one", m).isCloseTo(1.0,
                            org.assertj.core.data.Offset.offset(1e-9));
                }
            }
            double withoutMarginals = projective ? InsideOutside.logPartition(n, arcs, single, gamma, null)
                    : MatrixTree.logPartition(n, arcs, single, gamma, null);
            assertThat(withoutMarginals).isEqualTo(got);
        }
    }

    static IntStream confidentSeeds() {
        return IntStream.range(0, 40);
    }

    /**
     * Strong word-to-word cycles over root arcs tens of nats weaker: an LU of the explicit Laplacian cancels
     * catastrophically here; the subtraction-free elimination must stay accurate.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("confidentSeeds")
    void matrixTreeStaysAccurateWhenStrongCyclesDominateWeakRootArcs(int seed) {
        Random rnd = new Random(9000 + seed);
        int n = 2 + seed % 4;
        int nn = n + 1;
        double[] arcs = BruteForce.arcs(rnd, n, seed % 2 == 0 ? 0 : 2);
        for (int m = 1; m <= n; m++) {
            if (arcs[m] != NEG) {
                arcs[m] -= 30 + 10 * rnd.nextDouble();
            }
            for (int h = 1; h <= n; h++) {
                if (h != m && arcs[h * nn + m] != NEG) {
                    arcs[h * nn + m] *= 3;
                }
            }
        }
        checkAgainstEnumeration(n, arcs, seed % 3 == 0 ? 0.1 : 1.0, false);
    }

    static IntStream largeSeeds() {
        return IntStream.range(0, 12);
    }

    /** On n = 40 there is no enumeration: check distributions and the bounds MAP ≤ γ·log Z ≤ MAP + γ·log #trees. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("largeSeeds")
    void marginalsAreDistributionsAndLogPartitionBracketsTheMapOnLargeGraphs(int seed) {
        Random rnd = new Random(7000 + seed);
        int n = 40;
        int nn = n + 1;
        double[] arcs = BruteForce.arcs(rnd, n, seed % 2 == 0 ? 0 : 2);
        for (int i = 0; i < arcs.length; i++) {
            arcs[i] *= 5;
        }
        double gamma = seed % 3 == 0 ? 0.1 : 1.0;
        boolean single = seed % 4 < 2;
        boolean projective = seed % 2 == 1;
        double[] marg = new double[nn * nn];
        double logZ = projective ? InsideOutside.logPartition(n, arcs, single, gamma, marg)
                : MatrixTree.logPartition(n, arcs, single, gamma, marg);
        double map = projective ? Eisner.decode(n, arcs, single, new int[nn])
                : MaxArborescence.decode(n, arcs, single, new int[nn]);
        assertThat(logZ).isGreaterThanOrEqualTo(map - 1e-9 * Math.abs(map));
        assertThat(logZ).isLessThanOrEqualTo(map + gamma * (n - 1) * Math.log(nn) + 1e-9 * Math.abs(map));
        for (int m = 1; m <= n; m++) {
            double sum = 0;
            for (int h = 0; h <= n; h++) {
                double p = marg[h * nn + m];
                assertThat(p).isBetween(-1e-12, 1 + 1e-12);
                sum += p;
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void singleWordHasOneTree() {
        double[] arcs = {0, 2.0, 0, 0};
        double[] marg = new double[4];
        assertThat(MatrixTree.logPartition(1, arcs, true, 0.5, marg)).isCloseTo(2.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(marg).containsExactly(0, 1, 0, 0);
        assertThat(InsideOutside.logPartition(1, arcs, false, 3, marg)).isCloseTo(2.0,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(marg).containsExactly(0, 1, 0, 0);
    }

    @Test
    void noTreeGivesMinusInfinityAndZeroMarginals() {
        // Words 1 and 2 point only at each other: no arborescence, but every column has a finite entry.
        double[] arcs = {0, NEG, NEG, 0, 0, 1.0, 0, 1.0, 0};
        double[] marg = new double[9];
        assertThat(MatrixTree.logPartition(2, arcs, false, 1, marg)).isEqualTo(NEG);
        assertThat(marg).containsOnly(0.0);
        assertThat(InsideOutside.logPartition(2, arcs, true, 1, marg)).isEqualTo(NEG);
        assertThat(marg).containsOnly(0.0);
    }

    @Test
    void largeOffsetsAndSpreadsStayAccurate() {
        Random rnd = new Random(7);
        int n = 5;
        double[] arcs = BruteForce.arcs(rnd, n, 0);
        for (int i = 0; i < arcs.length; i++) {
            arcs[i] = arcs[i] * 10 + 5000;
        }
        for (boolean projective : new boolean[] {false, true}) {
            List<int[]> trees = BruteForce.trees(n, projective, false);
            double[] logw = new double[trees.size()];
            for (int i = 0; i < logw.length; i++) {
                logw[i] = BruteForce.treeScore(n, arcs, trees.get(i));
            }
            double expected = BruteForce.logSumExp(logw);
            double got = projective ? InsideOutside.logPartition(n, arcs, false, 1, null)
                    : MatrixTree.logPartition(n, arcs, false, 1, null);
            assertThat(BruteForce.close(got, expected, 1e-12)).as("%s vs %s", got, expected).isTrue();
        }
    }

    @Test
    void invalidInputsAreRejected() {
        double[] arcs = new double[9];
        arcs[5] = Double.NaN;
        assertThatThrownBy(() -> MatrixTree.logPartition(2, arcs, false, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> InsideOutside.logPartition(2, arcs, false, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> MatrixTree.logPartition(2, new double[9], false, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
    }
}
