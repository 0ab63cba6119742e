package io.github.sparsestruct.inference.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.smooth.SmoothedMax;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sort-free sparsemax of the DP kernels against the sort-based {@code SquaredL2Max}. */
class SparsemaxTest {
    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesTheSortBasedOperator(long seed) {
        Random rnd = new Random(seed);
        int n = 1 + (int) (seed % 12);
        double gamma = seed % 5 == 0 ? 1e-3 : seed % 5 == 1 ? 1e3 : 0.1 + 3 * rnd.nextDouble();
        int off = rnd.nextInt(3);
        double[] x = new double[off + n + 2];
        for (int i = 0; i < x.length; i++) {
            // ties (integers), wide and narrow spreads, masked entries
            x[i] = seed % 3 == 0 ? rnd.nextInt(3) : seed % 3 == 1 ? 1e4 * rnd.nextGaussian() : rnd.nextGaussian();
            if (seed % 4 == 1 && rnd.nextDouble() < 0.3) {
                x[i] = Double.NEGATIVE_INFINITY;
            }
        }
        x[off + rnd.nextInt(n)] = seed % 7 == 3 ? -1e300 : 0.5; // at least one finite entry
        double mx = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            mx = Math.max(mx, x[i]);
        }
        SmoothedMax op = SmoothedMax.squaredL2(gamma);
        double[] p0 = new double[n];
        double v0 = op.max(x, off, n, p0, 0);
        double[] y = x.clone();
        double v = Sparsemax.maxInPlace(y, off, n, mx, gamma, 1.0 / gamma);
        assertThat(v).isCloseTo(v0, within(1e-12 * Math.max(1, Math.abs(v0))));
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = y[off + i];
            assertThat(p).as("entry %d", i).isCloseTo(p0[i], within(1e-12));
            assertThat(p).isGreaterThanOrEqualTo(0.0);
            assertThat(p == 0).isEqualTo(p0[i] == 0); // same support
            sum += p;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        for (int i = 0; i < x.length; i++) {
            if (i < off || i >= off + n) {
                assertThat(y[i]).isEqualTo(x[i]); // nothing written outside the range
            }
        }
    }
}
