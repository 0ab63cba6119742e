package io.github.sparsestruct.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfTest {
    @Test
    void knownValues() {
        assertThat(Half.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(Half.fromFloat(70000f)).isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(Half.fromFloat(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(Half.fromFloat(0x1p-14f)).isEqualTo((short) 0x0400);
        assertThat(Half.fromFloat(1e-9f)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(-0f)).isEqualTo((short) 0x8000);
        // ties go to the even neighbour: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10
        assertThat(Half.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN)))).isTrue();
        assertThat(Half.toFloat((short) 0x3555)).isEqualTo(0.33325195f);
        assertThat(Half.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Half.toFloat((short) 0xfbff)).isEqualTo(-65504f);
    }

    @Test
    void roundTripsEveryHalfAndRoundsFloatsToTheNearest() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertThat(Half.fromFloat(f) & 0xffff).as("bits %x", h).isEqualTo(h);
            }
        }
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 5));
            float back = Half.toFloat(Half.fromFloat(f));
            // the nearest representable half: neighbours on both sides are no closer
            short b = Half.fromFloat(f);
            float up = Half.toFloat((short) (b + 1));
            float down = Half.toFloat((short) (b - 1));
            // (neighbours by bits; at ±0 the one below wraps to the other sign, which is no nearer either)
            if (!Float.isNaN(up)) {
                assertThat(Math.abs(back - f)).isLessThanOrEqualTo(Math.abs(up - f));
            }
            if (!Float.isNaN(down) && (b & 0x7fff) != 0) {
                assertThat(Math.abs(back - f)).isLessThanOrEqualTo(Math.abs(down - f));
            }
        }
    }
}
