package io.github.sparsestruct.inference.dp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpLogTest {
    @Test
    void expMatchesMathExpOverItsDomain() {
        Random rnd = new Random(7);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i % 3 == 0 ? -rnd.nextDouble() : i % 3 == 1 ? -40 * rnd.nextDouble() : -745 * rnd.nextDouble();
            double want = Math.exp(x);
            double got = ExpLog.expNonPositive(x);
            if (want > 0) {
                worst = Math.max(worst, Math.abs(got - want) / want);
            } else {
                assertThat(got).isEqualTo(0.0);
            }
        }
        assertThat(worst).isLessThan(1e-15);
    }

    @Test
    void expKnownNonPositiveIsBitForBitExpNonPositiveOnItsDomain() {
        Random rnd = new Random(9);
        for (int i = 0; i < 100_000; i++) {
            double x = i % 3 == 0 ? -rnd.nextDouble() : i % 3 == 1 ? -40 * rnd.nextDouble() : -745 * rnd.nextDouble();
            assertThat(ExpLog.expNonPositiveKnown(x)).isEqualTo(ExpLog.expNonPositive(x));
        }
        for (double x : new double[] {0.0, -0.0, -700, -700.5, -800, Double.NEGATIVE_INFINITY}) {
            assertThat(ExpLog.expNonPositiveKnown(x)).as("x = %s", x).isEqualTo(ExpLog.expNonPositive(x));
        }
        assertThat(ExpLog.expNonPositiveKnown(Double.NaN)).isNaN();
    }

    @Test
    void expEdgeCases() {
        assertThat(ExpLog.expNonPositive(0.0)).isEqualTo(1.0);
        assertThat(ExpLog.expNonPositive(-0.0)).isEqualTo(1.0);
        assertThat(ExpLog.expNonPositive(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ExpLog.expNonPositive(-800)).isEqualTo(0.0);
        assertThat(ExpLog.expNonPositive(-700)).isCloseTo(Math.exp(-700), org.assertj.core.data.Percentage.withPercentage(1e-12));
        assertThat(ExpLog.expNonPositive(2.0)).isEqualTo(Math.exp(2.0));
        assertThat(ExpLog.expNonPositive(Double.NaN)).isNaN();
    }

    @Test
    void logMatchesMathLogFromOne() {
        Random rnd = new Random(8);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = i % 3 == 0 ? 1 + rnd.nextDouble() * 1e-6 : i % 3 == 1 ? 1 + 2 * rnd.nextDouble()
                    : Math.exp(700 * rnd.nextDouble());
            double want = Math.log(x);
            double got = ExpLog.logAtLeastOne(x);
            worst = Math.max(worst, Math.abs(got - want) / Math.max(1.0, Math.abs(want)));
        }
        assertThat(worst).isLessThan(5e-16);
        assertThat(ExpLog.logAtLeastOne(1.0)).isEqualTo(0.0);
        assertThat(ExpLog.logAtLeastOne(2.0)).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-16));
        assertThat(ExpLog.logAtLeastOne(0.5)).isEqualTo(Math.log(0.5));
        assertThat(ExpLog.logAtLeastOne(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
