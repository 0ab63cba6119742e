package io.github.sparsestruct.inference.smooth;

import static io.github.sparsestruct.inference.testing.Numeric.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparsestruct.inference.testing.Numeric;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmoothedMaxTest {
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    /** The three smoothed regularisers, by name, with a factory over γ. */
    enum Reg {
        NEG_ENTROPY(SmoothedMax::negEntropy),
        SQUARED_L2(SmoothedMax::squaredL2),
        ENTMAX15(SmoothedMax::entmax15);

        final DoubleFunction<SmoothedMax> factory;

        Reg(DoubleFunction<SmoothedMax> factory) {
            this.factory = factory;
        }

        /** γ·Ω(q) for a distribution q, from the definition (0 log 0 = 0; ℓ2 is (γ/2)‖q‖², γ/2 on vertices). */
        double omega(double gamma, double[] q) {
            double s = 0;
            switch (this) {
                case NEG_ENTROPY:
                    for (double v : q) {
                        s += v > 0 ? v * Math.log(v) : 0;
                    }
                    return gamma * s;
                case SQUARED_L2:
                    for (double v : q) {
                        s += v * v;
                    }
                    return 0.5 * gamma * s;
                default:
                    for (double v : q) {
                        s += Math.pow(v, 1.5);
                    }
                    return gamma * (s - 1) / 0.75;
            }
        }

        /** max of γ·Ω over the simplex on n entries: attained on the vertices (γ/2 for ℓ2, 0 otherwise). */
        double maxOmega(double gamma, int n) {
            return this == SQUARED_L2 ? 0.5 * gamma : 0;
        }

        /** min of γ·Ω over the simplex on n entries: attained at the uniform distribution. */
        double minOmega(double gamma, int n) {
            return switch (this) {
                case NEG_ENTROPY -> -gamma * Math.log(n);
                case SQUARED_L2 -> 0.5 * gamma / n;
                case ENTMAX15 -> gamma * (1 / Math.sqrt(n) - 1) / 0.75;
            };
        }
    }

    static Stream<Arguments> regsAndGammas() {
        return Stream.of(Reg.values()).flatMap(r -> Stream.of(0.1, 1.0, 3.0).map(g -> Arguments.of(r, g)));
    }

    /** Random input of length 1..12 with, when {@code withMasks}, some -∞ entries (never all). */
    private static double[] randomInput(Random rnd, boolean withMasks) {
        int len = 1 + rnd.nextInt(12);
        double[] x = Numeric.gaussian(rnd, len, 2.0);
        if (withMasks && len > 1) {
            for (int i = 0; i < len; i++) {
                if (rnd.nextInt(4) == 0) {
                    x[i] = NEG_INF;
                }
            }
            x[rnd.nextInt(len)] = rnd.nextGaussian();
        }
        return x;
    }

    private static double[] grad(SmoothedMax op, double[] x) {
        double[] p = new double[x.length];
        op.max(x, 0, x.length, p, 0);
        return p;
    }

    /** Threshold τ with Σ [scale·z_i − τ]_+^power = 1, by bisection (an oracle independent of sorting). */
    private static double bisectThreshold(double[] z, double scale, int power) {
        double hi = NEG_INF;
        for (double v : z) {
            hi = Math.max(hi, scale * v);
        }
        double lo = hi - 1;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            double s = 0;
            for (double v : z) {
                double r = scale * v - mid;
                s += r > 0 ? Math.pow(r, power) : 0;
            }
            if (s > 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    @Test
    void negEntropyValueIsGammaLogSumExpAndGradientIsSoftmax() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            double gamma = 0.05 + 3 * rnd.nextDouble();
            double[] x = randomInput(rnd, true);
            double[] scaled = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                scaled[i] = x[i] / gamma;
            }
            double lse = Numeric.logSumExp(scaled, x.length);
            double[] softmax = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                softmax[i] = Math.exp(scaled[i] - lse);
            }
            double[] p = new double[x.length + 3];
            double val = SmoothedMax.negEntropy(gamma).max(x, 0, x.length, p, 3);
            assertClose(val, gamma * lse, 1e-12, "value");
            assertClose(Arrays.copyOfRange(p, 3, p.length), softmax, 1e-12, "softmax");
        }
    }

    @Test
    void squaredL2GradientIsSparsemaxByBisectionAndValueMatchesDefinition() {
        Random rnd = new Random(12);
        for (int trial = 0; trial < 200; trial++) {
            double gamma = 0.05 + 3 * rnd.nextDouble();
            double[] x = trial % 20 == 0 ? Numeric.gaussian(rnd, 40 + rnd.nextInt(80), 1) : randomInput(rnd, true);
            double[] z = Arrays.stream(x).map(v -> v / gamma).toArray();
            double tau = bisectThreshold(z, 1, 1);
            double[] expected = Arrays.stream(z).map(v -> Math.max(v - tau, 0)).toArray();
            double[] p = grad(SmoothedMax.squaredL2(gamma), x);
            assertClose(p, expected, 1e-9, "sparsemax");
            double val = SmoothedMax.squaredL2(gamma).max(x, 0, x.length, new double[x.length], 0);
            assertClose(val, Numeric.dot(expected, x) - Reg.SQUARED_L2.omega(gamma, expected), 1e-9, "value");
        }
    }

    @Test
    void entmax15GradientMatchesBisectionThresholdAndValueMatchesDefinition() {
        Random rnd = new Random(13);
        for (int trial = 0; trial < 200; trial++) {
            double gamma = 0.05 + 3 * rnd.nextDouble();
            double[] x = trial % 20 == 0 ? Numeric.gaussian(rnd, 40 + rnd.nextInt(80), 1) : randomInput(rnd, true);
            double[] z = Arrays.stream(x).map(v -> v / gamma).toArray();
            double tau = bisectThreshold(z, 0.5, 2);
            double[] expected = Arrays.stream(z).map(v -> Math.pow(Math.max(0.5 * v - tau, 0), 2)).toArray();
            double[] p = grad(SmoothedMax.entmax15(gamma), x);
            assertClose(p, expected, 1e-9, "entmax15");
            double val = SmoothedMax.entmax15(gamma).max(x, 0, x.length, new double[x.length], 0);
            assertClose(val, Numeric.dot(expected, x) - Reg.ENTMAX15.omega(gamma, expected), 1e-9, "value");
        }
    }

    @ParameterizedTest
    @MethodSource("regsAndGammas")
    void valueIsTheMaximumOfTheRegularisedLinearObjectiveOverTheSimplex(Reg reg, double gamma) {
        Random rnd = new Random(reg.ordinal() * 100 + (long) (gamma * 10));
        SmoothedMax op = reg.factory.apply(gamma);
        for (int trial = 0; trial < 100; trial++) {
            double[] x = randomInput(rnd, true);
            double[] p = new double[x.length];
            double val = op.max(x, 0, x.length, p, 0);
            assertClose(val, Numeric.dot(p, x) - reg.omega(gamma, p), 1e-10, "value at the argmax");
            assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            for (int k = 0; k < 20; k++) {
                double[] q = randomDistributionOnFinite(rnd, x);
                assertThat(Numeric.dot(q, x) - reg.omega(gamma, q)).isLessThanOrEqualTo(val + 1e-10);
            }
        }
    }

    private static double[] randomDistributionOnFinite(Random rnd, double[] x) {
        double[] q = new double[x.length];
        double s = 0;
        boolean sparse = rnd.nextBoolean();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != NEG_INF && !(sparse && rnd.nextBoolean())) {
                q[i] = -Math.log(1 - rnd.nextDouble());
                s += q[i];
            }
        }
        if (s == 0) {
            for (int i = 0; i < x.length; i++) {
                if (x[i] != NEG_INF) {
                    q[i] = 1;
                    s = 1;
                    break;
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            q[i] /= s;
        }
        return q;
    }

    @ParameterizedTest
    @MethodSource("regsAndGammas")
    void gradientMatchesFiniteDifferencesOfValue(Reg reg, double gamma) {
        Random rnd = new Random(7 + reg.ordinal() * 1000 + (long) (gamma * 10));
        SmoothedMax op = reg.factory.apply(gamma);
        double h = reg == Reg.NEG_ENTROPY ? 1e-5 : 1e-6;
        for (int trial = 0; trial < 100; trial++) {
            double[] x = randomInput(rnd, true);
            double[] d = Numeric.gaussian(rnd, x.length, 1);
            double[] p = grad(op, x);
            double fd = Numeric.directional(y -> op.max(y, 0, y.length, new double[y.length], 0), x, d, h);
            assertClose(Numeric.dot(p, d), fd, 1e-5, reg + " directional derivative");
        }
    }

    @ParameterizedTest
    @MethodSource("regsAndGammas")
    void hvpMatchesFiniteDifferencesOfGradient(Reg reg, double gamma) {
        Random rnd = new Random(9 + reg.ordinal() * 1000 + (long) (gamma * 10));
        SmoothedMax op = reg.factory.apply(gamma);
        double h = reg == Reg.NEG_ENTROPY ? 1e-5 : 1e-6;
        for (int trial = 0; trial < 100; trial++) {
            double[] x = randomInput(rnd, true);
            double[] d = Numeric.gaussian(rnd, x.length, 1);
            double[] p = new double[x.length + 2];
            op.max(x, 0, x.length, p, 2);
            double[] zBuf = new double[x.length + 1];
            System.arraycopy(d, 0, zBuf, 1, x.length);
            double[] out = new double[x.length + 4];
            op.hvp(p, 2, x.length, zBuf, 1, out, 4);
            double[] fd = Numeric.directionalVector(y -> grad(op, y), x, d, h);
            assertClose(Arrays.copyOfRange(out, 4, out.length), fd, 1e-5, reg + " Hessian-vector product");
        }
    }

    @Test
    void hardMaxReturnsMaxAndPutsWeightOnTheFirstMaximalEntry() {
        SmoothedMax op = SmoothedMax.hard();
        double[] x = {1, 3, NEG_INF, 3, 2};
        double[] p = new double[5];
        assertThat(op.max(x, 0, 5, p, 0)).isEqualTo(3.0);
        assertThat(p).containsExactly(0, 1, 0, 0, 0);
        double[] out = {9, 9, 9, 9, 9};
        op.hvp(p, 0, 5, new double[] {1, 2, 3, 4, 5}, 0, out, 0);
        assertThat(out).containsOnly(0.0);
        assertThat(op.gamma()).isZero();
    }

    @Test
    void tiedEntriesShareWeightEquallyUnderEverySmoothedOperator() {
        double[] x = {2, 5, 5, NEG_INF, 5};
        for (Reg reg : Reg.values()) {
            double[] p = grad(reg.factory.apply(0.5), x);
            assertThat(p[1]).as(reg.name()).isCloseTo(p[2], org.assertj.core.data.Offset.offset(1e-15));
            assertThat(p[1]).as(reg.name()).isCloseTo(p[4], org.assertj.core.data.Offset.offset(1e-15));
            assertThat(p[3]).as(reg.name()).isZero();
        }
    }

    @Test
    void minusInfinityEntriesGetExactlyZeroWeight() {
        Random rnd = new Random(3);
        for (Reg reg : Reg.values()) {
            SmoothedMax op = reg.factory.apply(100.0);
            for (int trial = 0; trial < 50; trial++) {
                double[] x = randomInput(rnd, true);
                double[] p = grad(op, x);
                for (int i = 0; i < x.length; i++) {
                    if (x[i] == NEG_INF) {
                        assertThat(p[i]).as(reg.name()).isEqualTo(0.0);
                    }
                }
            }
        }
    }

    @Test
    void allMinusInfinityGivesMinusInfinityAndZeroGradient() {
        for (SmoothedMax op : allOps()) {
            double[] p = {7, 7, 7};
            assertThat(op.max(new double[] {NEG_INF, NEG_INF, NEG_INF}, 0, 3, p, 0)).as(op.toString())
                    .isEqualTo(NEG_INF);
            assertThat(p).as(op.toString()).containsOnly(0.0);
        }
    }

    /** γ·Ω at a vertex of the simplex, which max_Ω subtracts from a single entry: γ/2 for ℓ2, 0 otherwise. */
    private static double vertexOmega(SmoothedMax op) {
        return op instanceof SquaredL2Max ? 0.5 * op.gamma() : 0;
    }

    @Test
    void singleEntryReturnsItselfMinusTheVertexRegulariserWithUnitGradient() {
        for (SmoothedMax op : allOps()) {
            for (double v : new double[] {-3.25, 0, 1e6}) {
                double[] p = {0};
                assertThat(op.max(new double[] {v}, 0, 1, p, 0)).as(op.toString()).isEqualTo(v - vertexOmega(op));
                assertThat(p[0]).as(op.toString()).isEqualTo(1.0);
            }
        }
        // squared L2: x − γ/2 exactly, the entropic operators and the hard max: x itself
        double[] p = {0};
        assertThat(SmoothedMax.squaredL2(0.5).max(new double[] {2}, 0, 1, p, 0)).isEqualTo(1.75);
        assertThat(SmoothedMax.squaredL2(0.5).max(new double[] {NEG_INF, 2, NEG_INF}, 0, 3, new double[3], 0))
                .isEqualTo(1.75);
        assertThat(SmoothedMax.negEntropy(0.5).max(new double[] {2}, 0, 1, p, 0)).isEqualTo(2.0);
        assertThat(SmoothedMax.entmax15(0.5).max(new double[] {2}, 0, 1, p, 0)).isEqualTo(2.0);
    }

    @ParameterizedTest
    @MethodSource("regsAndGammas")
    void valueLiesBetweenMaxMinusMaxOmegaAndMaxMinusMinOmega(Reg reg, double gamma) {
        Random rnd = new Random(31 + reg.ordinal());
        SmoothedMax op = reg.factory.apply(gamma);
        for (int trial = 0; trial < 100; trial++) {
            double[] x = randomInput(rnd, true);
            int n = (int) Arrays.stream(x).filter(v -> v != NEG_INF).count();
            double max = Arrays.stream(x).max().getAsDouble();
            // Ω is largest on the vertices and smallest at the uniform distribution over the n finite entries
            double val = op.max(x, 0, x.length, new double[x.length], 0);
            assertThat(val).isGreaterThanOrEqualTo(max - reg.maxOmega(gamma, n) - 1e-12)
                    .isLessThanOrEqualTo(max - reg.minOmega(gamma, n) + 1e-12);
        }
        // both bounds are attained: n equal entries (uniform gradient) and one entry far above the rest (a vertex)
        for (int n = 1; n <= 6; n++) {
            double[] tied = new double[n];
            Arrays.fill(tied, 1.5);
            assertClose(op.max(tied, 0, n, new double[n], 0), 1.5 - reg.minOmega(gamma, n), 1e-12, "upper bound");
            double[] apart = new double[n];
            Arrays.fill(apart, -1e4);
            apart[n - 1] = 1.5;
            assertClose(op.max(apart, 0, n, new double[n], 0), 1.5 - reg.maxOmega(gamma, n), 1e-12, "lower bound");
        }
    }

    @Test
    void hugeScoresDoNotOverflow() {
        double[] x = {1e6, 1e6 - 0.5, -1e6, 1e6 + 0.25};
        double max = 1e6 + 0.25;
        for (Reg reg : Reg.values()) {
            SmoothedMax op = reg.factory.apply(0.7);
            double[] p = new double[4];
            double val = op.max(x, 0, 4, p, 0);
            assertThat(val).as(op.toString()).isBetween(max - reg.maxOmega(0.7, 4), max - reg.minOmega(0.7, 4));
            assertThat(Arrays.stream(p).sum()).as(op.toString())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
        // squared L2, γ = 0.7: support {x0, x3} with p = (9/28, 0, 0, 19/28), value 10^6 + 19/112 − 0.35·442/784
        double[] p = new double[4];
        double val = SmoothedMax.squaredL2(0.7).max(x, 0, 4, p, 0);
        assertClose(val, 1e6 - 31.0 / 1120, 1e-9, "squared L2 value");
        assertClose(p, new double[] {9.0 / 28, 0, 0, 19.0 / 28}, 1e-12, "sparsemax");
        assertThat(SmoothedMax.hard().max(x, 0, 4, p, 0)).isEqualTo(max);
        assertThat(p).containsExactly(0, 0, 0, 1);
    }

    @Test
    void nanInputIsRejectedWithTheIndex() {
        for (SmoothedMax op : allOps()) {
            assertThatThrownBy(() -> op.max(new double[] {0, 1, Double.NaN}, 0, 3, new double[3], 0))
                    .as(op.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_Ω input contains NaN at index 2");
        }
    }

    @Test
    void plusInfinityInputIsRejected() {
        for (SmoothedMax op : allOps()) {
            assertThatThrownBy(() -> op.max(new double[] {Double.POSITIVE_INFINITY, 1}, 0, 2, new double[2], 0))
                    .as(op.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("+Infinity at index 0");
        }
    }

    @Test
    void nonPositiveOrNonFiniteGammaIsRejected() {
        for (Reg reg : Reg.values()) {
            for (double g : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> reg.factory.apply(g)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("gamma");
            }
        }
    }

    @Test
    void copyGivesAnEquivalentIndependentOperator() {
        double[] x = {0.3, -1, 2, 0.7};
        for (SmoothedMax op : allOps()) {
            SmoothedMax c = op.copy();
            assertThat(c.gamma()).isEqualTo(op.gamma());
            double[] p1 = new double[4];
            double[] p2 = new double[4];
            assertThat(c.max(x, 0, 4, p2, 0)).isEqualTo(op.max(x, 0, 4, p1, 0));
            assertThat(p2).containsExactly(p1);
        }
    }

    @Test
    void maxAndHvpDoNotAllocateAfterWarmUp() {
        Random rnd = new Random(5);
        double[] x = Numeric.gaussian(rnd, 9, 1);
        double[] p = new double[9];
        double[] out = new double[9];
        for (SmoothedMax op : allOps()) {
            for (int i = 0; i < 20_000; i++) {
                op.max(x, 0, 9, p, 0);
                op.hvp(p, 0, 9, x, 0, out, 0);
            }
            long before = Numeric.allocatedBytes();
            for (int i = 0; i < 1000; i++) {
                op.max(x, 0, 9, p, 0);
                op.hvp(p, 0, 9, x, 0, out, 0);
            }
            assertThat(Numeric.allocatedBytes() - before).as(op.toString()).isLessThan(1024);
        }
    }

    private static SmoothedMax[] allOps() {
        return new SmoothedMax[] {SmoothedMax.negEntropy(0.7), SmoothedMax.squaredL2(0.7),
            SmoothedMax.entmax15(0.7), SmoothedMax.hard()};
    }
}
