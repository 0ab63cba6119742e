package io.github.sparsestruct.models.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite-difference checks of a model's loss gradients (double-precision models), shared by the model tests. */
public final class GradientCheck {
    private static final double EPS = 1e-6;

    private GradientCheck() {
    }

    /** Moves every parameter by N(0, 0.3²) noise, away from symmetric initial values. */
    public static void perturb(Map<String, INDArray> parameters, long seed) {
        Random r = new Random(seed);
        for (INDArray a : parameters.values()) {
            for (long i = 0; i < a.length(); i++) {
                a.putScalar(i, a.getDouble(i) + 0.3 * r.nextGaussian());
            }
        }
    }

    /**
     * Compares, for each named parameter, the analytic gradient with the central difference of {@code loss} (divided by
     * {@code tokens}, as the analytic gradient is per token) at three entries: the largest and smallest gradient and
     * the one a third of the way in. Returns the number of entries checked.
     */
    public static int check(Map<String, INDArray> parameters, Map<String, INDArray> grads, List<String> names,
                            DoubleSupplier loss, int tokens, Object label) {
        int checked = 0;
        for (String name : names) {
            INDArray w = parameters.get(name);
            INDArray gw = grads.get(name);
            assertThat(gw).as(name).isNotNull();
            long[] idx = {gw.argMax().getLong(0), gw.neg().argMax().getLong(0), w.length() / 3};
            for (long i : idx) {
                double old = w.getDouble(i);
                w.putScalar(i, old + EPS);
                double plus = loss.getAsDouble();
                w.putScalar(i, old - EPS);
                double minus = loss.getAsDouble();
                w.putScalar(i, old);
                double fd = (plus - minus) / (2 * EPS) / tokens;
                double an = gw.getDouble(i);
                assertThat(Math.abs(fd - an)).as("%s %s[%d]: fd %s vs analytic %s", label, name, i, fd, an)
                        .isLessThan(1e-6 + 1e-4 * Math.abs(fd));
                checked++;
            }
        }
        return checked;
    }
}
