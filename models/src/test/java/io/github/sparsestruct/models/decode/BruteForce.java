package io.github.sparsestruct.models.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Brute-force references and assertions of the decoder tests: enumerated structures, their Gibbs marginals. */
final class BruteForce {
    private BruteForce() {
    }

    static boolean isTree(int[] h, boolean singleRoot) {
        int n = h.length;
        int roots = 0;
        for (int m = 1; m <= n; m++) {
            if (h[m - 1] == m) {
                return false;
            }
            roots += h[m - 1] == 0 ? 1 : 0;
            int cur = m;
            for (int step = 0; step <= n && cur != 0; step++) {
                cur = h[cur - 1];
            }
            if (cur != 0) {
                return false;
            }
        }
        return singleRoot ? roots == 1 : roots >= 1;
    }

    static double max(List<int[]> all, ToDoubleFunction<int[]> score) {
        return all.stream().mapToDouble(score).max().orElseThrow();
    }

    static double softMax(List<int[]> all, ToDoubleFunction<int[]> score, double gamma) {
        double mx = max(all, score);
        double z = all.stream().mapToDouble(y -> Math.exp((score.applyAsDouble(y) - mx) / gamma)).sum();
        return mx + gamma * Math.log(z);
    }

    static double[] gibbs(List<int[]> all, ToDoubleFunction<int[]> score, double gamma,
                                  Function<int[], double[]> ind) {
        double mx = max(all, score);
        double z = 0;
        double[] out = null;
        for (int[] y : all) {
            double p = Math.exp((score.applyAsDouble(y) - mx) / gamma);
            z += p;
            double[] u = ind.apply(y);
            out = out == null ? new double[u.length] : out;
            for (int q = 0; q < u.length; q++) {
                out[q] += p * u[q];
            }
        }
        for (int q = 0; q < out.length; q++) {
            out[q] /= z;
        }
        return out;
    }

    static double[] unary(int[] y, int s) {
        double[] u = new double[y.length * s];
        for (int t = 0; t < y.length; t++) {
            u[t * s + y[t]] = 1;
        }
        return u;
    }

    static double[] arcs(int[] h, int nn) {
        double[] u = new double[nn * nn];
        for (int m = 1; m < nn; m++) {
            u[h[m - 1] * nn + m] = 1;
        }
        return u;
    }

    static double[] indicator(int[] cells, int dim) {
        double[] u = new double[dim];
        for (int c : cells) {
            u[c] = 1;
        }
        return u;
    }

    static double[] gaussian(Random rng, int k) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = rng.nextGaussian();
        }
        return out;
    }

    static void assertClose(double[] got, double[] want, double tol) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("entry %d of %s", i, Arrays.toString(got)).isCloseTo(want[i], within(tol));
        }
    }
}
