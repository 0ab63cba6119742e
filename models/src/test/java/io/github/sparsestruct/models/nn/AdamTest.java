package io.github.sparsestruct.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
    /** Gradient of ½‖x − c‖². */
    private static Map<String, INDArray> grad(Map<String, INDArray> p, INDArray c) {
        return Map.of("x", p.get("x").sub(c));
    }

    @Test
    void minimisesAQuadraticAndClipsLargeGradients() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("x", Nd4j.createFromArray(10f, -10f, 3f));
        INDArray c = Nd4j.createFromArray(1f, 2f, 3f);
        Adam adam = new Adam(new Adam.Config(0.1, 0.9, 0.999, 1e-8, 1.0));
        double first = adam.update(p, grad(p, c));
        assertThat(first).isCloseTo(Math.sqrt(81 + 144), org.assertj.core.data.Offset.offset(1e-4));
        for (int i = 0; i < 1500; i++) {
            adam.update(p, grad(p, c));
        }
        assertThat(p.get("x").sub(c).amaxNumber().doubleValue()).isLessThan(1e-2);
        assertThat(adam.steps()).isEqualTo(1501);
    }

    /**
     * Adam's update written out in plain Java, as in Kingma &amp; Ba (2015), Algorithm 1, with clipping and a
     * learning-rate scale that changes every step (as a schedule sets it).
     */
    @Test
    void matchesTheTextbookUpdateOnRandomGradients() {
        java.util.Random rng = new java.util.Random(3);
        int n = 37;
        Adam.Config cfg = new Adam.Config(0.01, 0.9, 0.99, 1e-6, 2.0);
        double[] x = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        Map<String, INDArray> p = new LinkedHashMap<>(Map.of("x", Nd4j.createFromArray(x.clone())));
        Adam adam = new Adam(cfg);
        for (int t = 1; t <= 20; t++) {
            double[] g = new double[n];
            double sq = 0;
            for (int i = 0; i < n; i++) {
                // some steps with a norm above the clipping threshold, some below; one exact zero
                g[i] = i == 5 ? 0 : rng.nextGaussian() * (t % 3 == 0 ? 3 : 0.1);
                sq += g[i] * g[i];
            }
            INDArray gArr = Nd4j.createFromArray(g.clone());
            double rate = t == 1 ? 1.0 : 1.0 - (t - 1) / 25.0;
            adam.rateScale(rate);
            double norm = adam.update(p, Map.of("x", gArr));
            assertThat(norm).isCloseTo(Math.sqrt(sq), org.assertj.core.data.Offset.offset(1e-9));
            // the caller's gradient is left as it was
            assertThat(gArr.toDoubleVector()).containsExactly(g);
            double scale = Math.sqrt(sq) > cfg.clipNorm() ? cfg.clipNorm() / Math.sqrt(sq) : 1;
            double alpha = rate * cfg.learningRate() * Math.sqrt(1 - Math.pow(cfg.beta2(), t))
                    / (1 - Math.pow(cfg.beta1(), t));
            for (int i = 0; i < n; i++) {
                double gi = g[i] * scale;
                m[i] = cfg.beta1() * m[i] + (1 - cfg.beta1()) * gi;
                v[i] = cfg.beta2() * v[i] + (1 - cfg.beta2()) * gi * gi;
                x[i] -= alpha * m[i] / (Math.sqrt(v[i]) + cfg.epsilon());
            }
            double[] got = p.get("x").toDoubleVector();
            for (int i = 0; i < n; i++) {
                assertThat(got[i]).as("x[%d] after step %d", i, t).isCloseTo(x[i],
                        org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void aRateScaleOutsideZeroToOneIsRefused() {
        Adam adam = new Adam(Adam.Config.defaults());
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> adam.rateScale(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
        }
        assertThat(adam.rateScale()).isEqualTo(1.0);
        adam.rateScale(0.25);
        assertThat(adam.rateScale()).isEqualTo(0.25);
    }

    @Test
    void resumingFromSavedStateGivesTheSameTrajectory() {
        INDArray c = Nd4j.createFromArray(1.0, 2.0, 3.0);
        Map<String, INDArray> a = new LinkedHashMap<>(Map.of("x", Nd4j.createFromArray(5.0, 5.0, 5.0)));
        Adam adamA = new Adam(Adam.Config.defaults());
        for (int i = 0; i < 5; i++) {
            adamA.update(a, grad(a, c));
        }
        InMemoryParameterStore store = new InMemoryParameterStore();
        adamA.save(store, "opt/");
        Map<String, INDArray> b = new LinkedHashMap<>(Map.of("x", a.get("x").dup()));
        Adam adamB = new Adam(Adam.Config.defaults());
        adamB.load(store, "opt/", b);
        for (int i = 0; i < 5; i++) {
            adamA.update(a, grad(a, c));
            adamB.update(b, grad(b, c));
        }
        assertThat(adamB.steps()).isEqualTo(10);
        // the moments went through float32 in the store
        assertThat(a.get("x").sub(b.get("x")).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(b.get("x").dataType()).isEqualTo(DataType.DOUBLE);
    }
}
