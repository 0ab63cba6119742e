package io.github.sparsestruct.inference.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OneOfKTest {
    static IntStream seeds() {
        return IntStream.range(0, 100);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void argmaxIsTheFirstMaximumOfTheRange(int seed) {
        Random rnd = new Random(seed);
        int len = 1 + rnd.nextInt(6);
        int off = rnd.nextInt(3);
        double[] x = new double[off + len + 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = BruteForce.score(rnd, seed % 4);
        }
        int expected = -1;
        for (int i = 0; i < len; i++) {
            if (x[off + i] != Double.NEGATIVE_INFINITY && (expected < 0 || x[off + i] > x[off + expected])) {
                expected = i;
            }
        }
        assertThat(OneOfK.argmax(x, off, len)).isEqualTo(expected);
    }

    @Test
    void allForbiddenGivesMinusOne() {
        double ninf = Double.NEGATIVE_INFINITY;
        assertThat(OneOfK.argmax(new double[] {ninf, ninf}, 0, 2)).isEqualTo(-1);
        assertThat(OneOfK.argmax(new double[] {ninf}, 0, 1)).isEqualTo(-1);
        assertThat(OneOfK.argmax(new double[] {3.0}, 0, 1)).isZero();
    }

    @Test
    void tiesGoToTheFirstIndex() {
        assertThat(OneOfK.argmax(new double[] {9, 1, 2, 2, 0}, 1, 4)).isEqualTo(1);
    }

    @Test
    void nanIsRejected() {
        assertThatThrownBy(() -> OneOfK.argmax(new double[] {1, Double.NaN}, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
