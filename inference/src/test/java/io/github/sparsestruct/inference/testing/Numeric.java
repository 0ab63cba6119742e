package io.github.sparsestruct.inference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Independent numerical oracles shared by the tests: finite differences, log-sum-exp, comparisons. */
public final class Numeric {
    private Numeric() {
    }

    /** Seeds 0..n-1 as a stream, for {@code @MethodSource}. */
    public static Stream<Long> seeds(int n) {
        return IntStream.range(0, n).mapToObj(i -> (long) i);
    }

    /** log Σ exp(a_i), stable, -∞ for an empty or all -∞ input. */
    public static double logSumExp(double[] a, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, a[i]);
        }
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(a[i] - m);
        }
        return m + Math.log(s);
    }

    /** Central difference (f(x + h d) − f(x − h d)) / 2h of a scalar function. */
    public static double directional(ToDoubleFunction<double[]> f, double[] x, double[] d, double h) {
        double[] xp = x.clone();
        double[] xm = x.clone();
        for (int k = 0; k < x.length; k++) {
            xp[k] += h * d[k];
            xm[k] -= h * d[k];
        }
        return (f.applyAsDouble(xp) - f.applyAsDouble(xm)) / (2 * h);
    }

    /** Central difference (g(x + h d) − g(x − h d)) / 2h of a vector function. */
    public static double[] directionalVector(Function<double[], double[]> g, double[] x, double[] d, double h) {
        double[] xp = x.clone();
        double[] xm = x.clone();
        for (int k = 0; k < x.length; k++) {
            xp[k] += h * d[k];
            xm[k] -= h * d[k];
        }
        double[] gp = g.apply(xp);
        double[] gm = g.apply(xm);
        double[] out = new double[gp.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (gp[k] - gm[k]) / (2 * h);
        }
        return out;
    }

    /** ⟨a, b⟩, treating 0·anything as 0 (so -∞ entries of a paired with 0 in b are fine). */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            if (a[k] != 0 && b[k] != 0) {
                s += a[k] * b[k];
            }
        }
        return s;
    }

    /** Gaussian vector of length n. */
    public static double[] gaussian(Random rnd, int n, double scale) {
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = scale * rnd.nextGaussian();
        }
        return x;
    }

    /** Asserts |actual − expected| ≤ tol · max(1, |expected|). */
    public static void assertClose(double actual, double expected, double tol, String what) {
        assertThat(Math.abs(actual - expected))
                .as("%s: actual %s, expected %s", what, actual, expected)
                .isLessThanOrEqualTo(tol * Math.max(1, Math.abs(expected)));
    }

    /** Asserts max_k |actual_k − expected_k| ≤ tol · max(1, max_k |expected_k|). */
    public static void assertClose(double[] actual, double[] expected, double tol, String what) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int k = 0; k < actual.length; k++) {
            assertThat(Math.abs(actual[k] - expected[k]))
                    .as("%s[%d]: actual %s, expected %s", what, k, actual[k], expected[k])
                    .isLessThanOrEqualTo(tol * scale);
        }
    }

    /** Bytes allocated so far by the current thread (HotSpot-specific). */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
