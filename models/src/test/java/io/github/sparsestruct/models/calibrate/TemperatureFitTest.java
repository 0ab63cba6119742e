package io.github.sparsestruct.models.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.eval.Alternative;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The temperature fit recovers a known temperature: gold drawn from sigmoid(s / T0), a model that reports
 * sigmoid(s / T), the fit must land near T0; the exponent fit recovers a known a0 from outcomes drawn with
 * probability p^a0.
 */
class TemperatureFitTest {
    /** Binary choices: part 0 or part 1 per sentence, one part per structure. */
    static final class Synthetic implements CalibrationSet {
        private final double[] s;
        private final int[] gold;
        private Calibration calibration = Calibration.NONE;

        Synthetic(int size, double trueT, long seed) {
            Random rng = new Random(seed);
            s = new double[size];
            gold = new int[size];
            for (int i = 0; i < size; i++) {
                s[i] = 3 * rng.nextGaussian();
                gold[i] = rng.nextDouble() < sigmoid(s[i] / trueT) ? 0 : 1;
            }
        }

        @Override
        public int size() {
            return s.length;
        }

        @Override
        public String partName() {
            return "span";
        }

        @Override
        public List<Decoding> decodings() {
            return List.of(Decoding.MARGINALS);
        }

        @Override
        public Calibration calibration() {
            return calibration;
        }

        @Override
        public void calibrate(Calibration c) {
            calibration = c;
        }

        @Override
        public Decoded decode(int i, Decoding mode) {
            double p = sigmoid(s[i] / calibration.temperature(mode));
            int best = p >= 0.5 ? 0 : 1;
            double pb = Math.max(p, 1 - p);
            return new Decoded(new long[] {gold[i]}, List.of(new Alternative(1.0, new long[] {best})),
                    new long[] {0, 1}, new double[] {p, 1 - p}, calibration.bestProbability(mode, pb));
        }

        @Override
        public Decoded kBest(int i, int k) {
            return decode(i, Decoding.MARGINALS);
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.7, 1.0, 3.0, 9.0})
    void recoversTheTemperatureTheGoldWasDrawnWith(double trueT) {
        Synthetic set = new Synthetic(20_000, trueT, 42);
        TemperatureFit.Fit fit = TemperatureFit.fit(set, Decoding.MARGINALS);
        assertThat(fit.temperature()).isCloseTo(trueT, within(0.12 * trueT));
        assertThat(set.calibration().temperature(Decoding.MARGINALS)).isEqualTo(fit.temperature());
        assertThat(fit.calibrated().brier()).isLessThanOrEqualTo(fit.uncalibrated().brier());
        assertThat(fit.uncalibrated().temperature()).isEqualTo(1.0);
        if (Math.abs(Math.log(trueT)) > 0.5) {
            assertThat(fit.calibrated().parts().ece()).isLessThan(fit.uncalibrated().parts().ece());
        }
        assertThat(fit.calibrated().parts().ece()).isLessThan(0.03);
        // every temperature tried is recorded, sorted
        List<Double> ts = fit.tried().stream().map(CalibrationFigures::temperature).toList();
        assertThat(ts).isSorted().contains(1.0, fit.temperature());
    }

    @Test
    void mapHasNoTemperatureAndAnEmptySetNothingToFit() {
        assertThatThrownBy(() -> TemperatureFit.fit(new Synthetic(10, 1, 1), Decoding.MAP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map");
        assertThatThrownBy(() -> TemperatureFit.fit(new Synthetic(0, 1, 1), Decoding.MARGINALS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sentences");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2.0, 4.0})
    void recoversABestStructureExponent(double trueA) {
        Random rng = new Random(7);
        int size = 20_000;
        double[] p = new double[size];
        boolean[] y = new boolean[size];
        for (int i = 0; i < size; i++) {
            p[i] = rng.nextDouble();
            y[i] = rng.nextDouble() < Math.pow(p[i], trueA);
        }
        assertThat(TemperatureFit.exponent(p, y)).isCloseTo(trueA, within(0.1 * trueA));
    }

    @Test
    void aCalibratedBestProbabilityKeepsAnExponentOfOne() {
        Random rng = new Random(3);
        double[] p = new double[5000];
        boolean[] y = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextDouble();
            y[i] = rng.nextDouble() < p[i];
        }
        assertThat(TemperatureFit.exponent(p, y)).isCloseTo(1.0, within(0.1));
    }

    @Test
    void theFitSetsTheExponentAndTheStructureFiguresUseIt() {
        Synthetic set = new Synthetic(5000, 2.0, 5);
        TemperatureFit.Fit fit = TemperatureFit.fit(set, Decoding.MARGINALS);
        assertThat(set.calibration().exponent(Decoding.MARGINALS)).isEqualTo(fit.exponent());
        assertThat(fit.toJson().get("structureExponent").asDouble()).isEqualTo(fit.exponent());
        assertThat(fit.line()).contains("marginals").contains("T=");
        // with the gold drawn from the model's own calibrated probabilities the structure figures are near calibrated
        assertThat(fit.calibrated().structures().ece()).isLessThan(0.05);
    }
}
