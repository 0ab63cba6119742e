package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ViterbiTest {
    static final double NEG = Double.NEGATIVE_INFINITY;

    static IntStream seeds() {
        return IntStream.range(0, 300);
    }

    /** A random chain problem; the test enumerates all S^T sequences against it. */
    static final class Chain {
        int t;
        int s;
        double[] unary;
        double[] trans;
        boolean positionDependent;
        double[] start;
        double[] end;
        boolean[] allowed;

        /** Score of a sequence by the definition, -∞ when it uses a masked transition. */
        double score(int[] y) {
            double total = start == null ? 0 : start[y[0]];
            for (int i = 0; i < t; i++) {
                total += unary[i * s + y[i]];
            }
            for (int i = 0; i + 1 < t; i++) {
                if (allowed != null && !allowed[y[i] * s + y[i + 1]]) {
                    return NEG;
                }
                if (trans != null) {
                    total += trans[(positionDependent ? i * s * s : 0) + y[i] * s + y[i + 1]];
                }
            }
            return end == null ? total : total + end[y[t - 1]];
        }

        /** Best score over all S^T sequences. */
        double bruteForceBest() {
            double best = NEG;
            int[] y = new int[t];
            int count = (int) Math.pow(s, t);
            for (int code = 0; code < count; code++) {
                int c = code;
                for (int i = 0; i < t; i++) {
                    y[i] = c % s;
                    c /= s;
                }
                best = Math.max(best, score(y));
            }
            return best;
        }
    }

    static Chain randomChain(int seed) {
        Random rnd = new Random(seed);
        Chain c = new Chain();
        c.t = 1 + rnd.nextInt(5);
        c.s = 1 + rnd.nextInt(3);
        int mode = seed % 4;
        c.unary = fill(rnd, c.t * c.s, mode);
        c.positionDependent = rnd.nextBoolean();
        int transLen = c.positionDependent ? (c.t - 1) * c.s * c.s : c.s * c.s;
        c.trans = rnd.nextInt(8) == 0 ? null : fill(rnd, transLen, mode);
        c.start = rnd.nextBoolean() ? fill(rnd, c.s, mode) : null;
        c.end = rnd.nextBoolean() ? fill(rnd, c.s, mode) : null;
        if (rnd.nextInt(3) == 0) {
            c.allowed = new boolean[c.s * c.s];
            for (int i = 0; i < c.allowed.length; i++) {
                c.allowed[i] = rnd.nextDouble() < 0.7;
            }
        }
        return c;
    }

    static double[] fill(Random rnd, int len, int mode) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = BruteForce.score(rnd, mode);
        }
        return x;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void viterbiMatchesBruteForceOverAllTagSequences(int seed) {
        Chain c = randomChain(seed);
        int[] tags = new int[c.t];
        double got = new ViterbiDecoder().decode(c.t, c.s, c.unary, c.trans, c.positionDependent, c.start, c.end,
                c.allowed, tags);
        double expected = c.bruteForceBest();
        assertThat(BruteForce.close(got, expected, 1e-9)).as("value %s vs oracle %s", got, expected).isTrue();
        if (expected == NEG) {
            assertThat(tags).containsOnly(-1);
        } else {
            for (int y : tags) {
                assertThat(y).isBetween(0, c.s - 1);
            }
            assertThat(BruteForce.close(c.score(tags), got, 1e-12)).as("decoded sequence scores the value").isTrue();
        }
    }

    @Test
    void reusedDecoderGivesTheSameAnswersAsFreshOnes() {
        ViterbiDecoder shared = new ViterbiDecoder();
        for (int seed = 0; seed < 50; seed++) {
            Chain c = randomChain(seed);
            int[] a = new int[c.t];
            int[] b = new int[c.t];
            double va = shared.decode(c.t, c.s, c.unary, c.trans, c.positionDependent, c.start, c.end, c.allowed, a);
            double vb = Viterbi.decode(c.t, c.s, c.unary, c.trans, c.positionDependent, c.start, c.end, c.allowed, b);
            assertThat(va).isEqualTo(vb);
            assertThat(a).containsExactly(b);
        }
    }

    @Test
    void singlePositionAndSingleTag() {
        int[] tags = new int[1];
        assertThat(Viterbi.decode(1, 1, new double[] {2.5}, null, false, new double[] {1}, new double[] {-1}, null,
                tags)).isEqualTo(2.5);
        assertThat(tags).containsExactly(0);
        assertThat(Viterbi.decode(1, 3, new double[] {0, 4, 1}, new double[9], false, null, null, null, tags))
                .isEqualTo(4.0);
        assertThat(tags).containsExactly(1);
        int[] three = new int[3];
        assertThat(Viterbi.decode(3, 1, new double[] {1, 2, 3}, new double[] {0.5}, false, null, null, null,
                three)).isEqualTo(7.0);
        assertThat(three).containsExactly(0, 0, 0);
    }

    @Test
    void fullyMaskedTransitionsLeaveNoSequence() {
        int[] tags = new int[2];
        double v = Viterbi.decode(2, 2, new double[4], null, false, null, null, new boolean[4], tags);
        assertThat(v).isEqualTo(NEG);
        assertThat(tags).containsExactly(-1, -1);
    }

    @Test
    void nanScoresAreRejected() {
        assertThatThrownBy(() -> Viterbi.decode(2, 2, new double[] {0, 0, Double.NaN, 0}, null, false, null, null,
                null, new int[2])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unary");
        assertThatThrownBy(() -> Viterbi.decode(2, 1, new double[2], new double[] {Double.NaN}, false, null, null,
                null, new int[2])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trans");
        assertThatThrownBy(() -> Viterbi.decode(1, 1, new double[1], null, false, new double[] {Double.NaN}, null,
                null, new int[1])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start");
    }
}
