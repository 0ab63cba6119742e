package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EisnerTest {
    static final double NEG = Double.NEGATIVE_INFINITY;

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void eisnerMatchesBruteForceOverProjectiveTrees(int seed) {
        Random rnd = new Random(seed);
        int n = 1 + seed % 5;
        double[] arcs = BruteForce.arcs(rnd, n, (seed / 5) % 4);
        Eisner solver = new Eisner();
        for (boolean single : new boolean[] {false, true}) {
            double expected = MaxArborescenceTest.best(n, arcs, BruteForce.trees(n, true, single));
            int[] heads = new int[n + 1];
            double got = solver.maximize(n, arcs, single, heads);
            assertThat(BruteForce.close(got, expected, 1e-9))
                    .as("singleRoot=%s: value %s vs oracle %s", single, got, expected).isTrue();
            if (expected == NEG) {
                assertThat(heads).containsOnly(-1);
                continue;
            }
            assertThat(BruteForce.isTree(heads, n)).as("tree").isTrue();
            assertThat(BruteForce.isProjective(heads, n)).as("projective").isTrue();
            if (single) {
                assertThat(BruteForce.rootChildren(heads, n)).isEqualTo(1);
            }
            assertThat(BruteForce.close(BruteForce.treeScore(n, arcs, heads), got, 1e-12)).isTrue();
        }
    }

    @Test
    void crossingArcsAreNotChosen() {
        // The best non-projective tree is 0->2, 2->4, 4->1, 1->3 (crossing); Eisner must find a projective one.
        int n = 4;
        int nn = n + 1;
        double[] arcs = new double[nn * nn];
        java.util.Arrays.fill(arcs, -1);
        arcs[0 * nn + 2] = 5;
        arcs[2 * nn + 4] = 5;
        arcs[4 * nn + 1] = 5;
        arcs[1 * nn + 3] = 5;
        int[] heads = new int[nn];
        double v = Eisner.decode(n, arcs, false, heads);
        assertThat(BruteForce.isProjective(heads, n)).isTrue();
        assertThat(v).isEqualTo(MaxArborescenceTest.best(n, arcs, BruteForce.trees(n, true, false)));
        assertThat(v).isLessThan(20.0);
        assertThat(MaxArborescence.decode(n, arcs, false, heads)).isEqualTo(20.0);
    }

    @Test
    void singleWord() {
        int[] heads = new int[2];
        assertThat(Eisner.decode(1, new double[] {0, -3, 0, 0}, true, heads)).isEqualTo(-3.0);
        assertThat(heads).containsExactly(-1, 0);
        assertThat(Eisner.decode(1, new double[] {0, NEG, 0, 0}, false, heads)).isEqualTo(NEG);
        assertThat(heads).containsExactly(-1, -1);
    }

    @Test
    void nanArcIsRejected() {
        double[] arcs = new double[9];
        arcs[2] = Double.NaN;
        assertThatThrownBy(() -> Eisner.decode(2, arcs, true, new int[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
