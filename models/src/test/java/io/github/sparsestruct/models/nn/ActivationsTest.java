package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Test
    void sigmoidAndTanhAreWithinTheirStatedErrorEverywhere() {
        double worstS = 0;
        double worstT = 0;
        Random r = new Random(3);
        for (int k = 0; k < 2_000_000; k++) {
            // a dense grid over [-40, 40] plus random points, half of them near zero
            float x = k < 1_000_000 ? -40f + 80f * k / 1_000_000f
                    : (float) (r.nextBoolean() ? r.nextGaussian() * 0.01 : r.nextGaussian() * 10);
            worstS = Math.max(worstS, Math.abs(Activations.sigmoid(x) - sigmoid(x)));
            worstT = Math.max(worstT, Math.abs(Activations.tanh(x) - Math.tanh(x)));
        }
        assertThat(worstS).isLessThan(5e-7);
        assertThat(worstT).isLessThan(1e-6);
    }

    @Test
    void specialValues() {
        assertThat(Activations.sigmoid(Float.NaN)).isNaN();
        assertThat(Activations.tanh(Float.NaN)).isNaN();
        assertThat((double) Activations.sigmoid(Float.POSITIVE_INFINITY)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(2e-7));
        assertThat((double) Activations.sigmoid(Float.NEGATIVE_INFINITY)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(2e-7));
        assertThat((double) Activations.tanh(Float.POSITIVE_INFINITY)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(5e-7));
        assertThat((double) Activations.tanh(Float.NEGATIVE_INFINITY)).isCloseTo(-1.0, org.assertj.core.data.Offset.offset(5e-7));
        assertThat(Activations.sigmoid(0f)).isEqualTo(0.5f);
        assertThat(Activations.tanh(0f)).isEqualTo(0f);
    }
}
