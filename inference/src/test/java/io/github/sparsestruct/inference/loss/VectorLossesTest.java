package io.github.sparsestruct.inference.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorLossesTest {
    interface Loss {
        double of(double[] theta, double[] target, double[] grad);
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, 100).boxed();
    }

    static double[] softmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - m);
            s += p[i];
        }
        for (int i = 0; i < x.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    static double[] sparsemax(double[] x) {
        return io.github.sparsestruct.inference.sparsemap.QpOracleAccess.sparsemax(x);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void lossesAreNonNegativeVanishAtThePredictionAndHaveGradientPredictionMinusTarget(int seed) {
        Random rnd = new Random(seed);
        int k = 1 + rnd.nextInt(6);
        double[] theta = new double[k];
        for (int i = 0; i < k; i++) {
            theta[i] = seed % 3 == 0 ? rnd.nextInt(3) : rnd.nextGaussian() * 2;
        }
        double[] target = VectorLosses.oneHot(k, rnd.nextInt(k));
        double[] g = new double[k];
        // softmax
        double ls = VectorLosses.softmax(theta, target, 1.0, g);
        double[] p = softmax(theta);
        assertThat(ls).isGreaterThanOrEqualTo(0);
        for (int i = 0; i < k; i++) {
            assertThat(g[i]).isCloseTo(p[i] - target[i], within(1e-12));
        }
        assertThat(VectorLosses.softmax(theta, p, 1.0, g)).isCloseTo(0.0, within(1e-12));
        // sparsemax
        double lq = VectorLosses.sparsemax(theta, target, 1.0, g);
        double[] q = sparsemax(theta);
        assertThat(lq).isGreaterThanOrEqualTo(0);
        for (int i = 0; i < k; i++) {
            assertThat(g[i]).isCloseTo(q[i] - target[i], within(1e-12));
        }
        assertThat(VectorLosses.sparsemax(theta, q, 1.0, g)).isCloseTo(0.0, within(1e-12));
        // perceptron
        double lp = VectorLosses.perceptron(theta, target, g);
        double max = java.util.Arrays.stream(theta).max().orElseThrow();
        int y = 0;
        while (target[y] == 0) {
            y++;
        }
        assertThat(lp).isCloseTo(max - theta[y], within(1e-12));
        int arg = 0;
        for (int i = 1; i < k; i++) {
            if (theta[i] > theta[arg]) {
                arg = i;
            }
        }
        assertThat(VectorLosses.perceptron(theta, VectorLosses.oneHot(k, arg), g)).isEqualTo(0.0);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void gradientsMatchFiniteDifferences(int seed) {
        Random rnd = new Random(seed);
        int k = 2 + rnd.nextInt(5);
        double[] theta = new double[k];
        for (int i = 0; i < k; i++) {
            theta[i] = rnd.nextGaussian() * 2;
        }
        double[] target = VectorLosses.oneHot(k, rnd.nextInt(k));
        double gamma = 0.5 + rnd.nextDouble();
        Loss[] losses = {
            (t, y, g) -> VectorLosses.softmax(t, y, gamma, g),
            (t, y, g) -> VectorLosses.sparsemax(t, y, gamma, g),
            VectorLosses::perceptron,
        };
        for (Loss loss : losses) {
            double[] g = new double[k];
            loss.of(theta, target, g);
            double[] d = new double[k];
            for (int i = 0; i < k; i++) {
                d[i] = rnd.nextGaussian();
            }
            double eps = 1e-6;
            double[] tp = theta.clone();
            double[] tm = theta.clone();
            for (int i = 0; i < k; i++) {
                tp[i] += eps * d[i];
                tm[i] -= eps * d[i];
            }
            double fd = (loss.of(tp, target, new double[k]) - loss.of(tm, target, new double[k])) / (2 * eps);
            double an = 0;
            for (int i = 0; i < k; i++) {
                an += g[i] * d[i];
            }
            assertThat(an).isCloseTo(fd, within(1e-6));
        }
    }

    @Test
    void badTargetsAreRejected() {
        double[] g = new double[2];
        assertThatThrownBy(() -> VectorLosses.softmax(new double[] {0, 1}, new double[] {0.5, 0.6}, 1, g))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sums to");
        assertThatThrownBy(() -> VectorLosses.sparsemax(new double[] {0, Double.NEGATIVE_INFINITY},
                new double[] {0, 1}, 1, g)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VectorLosses.oneHot(2, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
