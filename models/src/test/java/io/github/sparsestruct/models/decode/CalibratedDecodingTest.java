package io.github.sparsestruct.models.decode;

import static io.github.sparsestruct.models.decode.BruteForce.arcs;
import static io.github.sparsestruct.models.decode.BruteForce.assertClose;
import static io.github.sparsestruct.models.decode.BruteForce.gaussian;
import static io.github.sparsestruct.models.decode.BruteForce.gibbs;
import static io.github.sparsestruct.models.decode.BruteForce.isTree;
import static io.github.sparsestruct.models.decode.BruteForce.unary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calibrated decoding against brute force: marginals of θ/T, the best structure's Gibbs probability, k-best weights
 * at the marginals temperature, SparseMAP with γ·T, and the best-structure exponent.
 */
class CalibratedDecodingTest {
    private static final SparseMapOptions OPTIONS = SparseMapOptions.DEFAULT.withTolerance(1e-10);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void treeMarginalsAndBestProbabilityAtATemperatureMatchBruteForce(long seed) {
        Random rng = new Random(seed);
        int n = seed == 6 ? 1 : 3;
        int nn = n + 1;
        double[] eta = gaussian(rng, nn * nn);
        if (seed == 5) {
            eta[0 * nn + 1] = Double.NEGATIVE_INFINITY;
            eta[2 * nn + 3] = Double.NEGATIVE_INFINITY;
        }
        if (seed == 4) {
            java.util.Arrays.fill(eta, 0.5);
        }
        List<int[]> all = trees(n);
        TreePolytope poly = new TreePolytope(n, false, true);
        ToDoubleFunction<int[]> score = h -> poly.structure(h).score(eta, null);
        for (double t : new double[] {0.3, 1.0, 2.5}) {
            TreeDecoder dec = new TreeDecoder(OPTIONS);
            dec.calibration(Calibration.NONE.with(Decoding.MARGINALS, t));
            SparseDistribution d = dec.decode(n, eta, Decoding.MARGINALS);
            List<int[]> finite = all.stream().filter(h -> score.applyAsDouble(h) > Double.NEGATIVE_INFINITY).toList();
            assertClose(d.marginals(), gibbs(finite, score, t, h -> arcs(h, nn)), 1e-9);
            double p = Math.exp((BruteForce.max(finite, score) - BruteForce.softMax(finite, score, t)) / t);
            assertThat(d.bestProbability()).as("T=%s", t).isCloseTo(p, within(1e-9));
            assertThat(d.weights()).containsExactly(1.0);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void sequenceMarginalsAndBestProbabilityAtATemperatureMatchBruteForce(long seed) {
        Random rng = new Random(seed);
        int n = 3;
        int s = 3;
        SequencePolytope poly = new SequencePolytope(n, s);
        double[] etaU = gaussian(rng, n * s);
        double[] etaV = poly.packExtra(gaussian(rng, s * s), gaussian(rng, s), gaussian(rng, s));
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < s * s * s; c++) {
            all.add(new int[] {c % s, (c / s) % s, c / (s * s)});
        }
        ToDoubleFunction<int[]> score = y -> poly.structure(y).score(etaU, etaV);
        for (double t : new double[] {0.5, 2.0}) {
            SequenceDecoder dec = new SequenceDecoder(s, OPTIONS);
            dec.calibration(Calibration.NONE.with(Decoding.MARGINALS, t));
            SparseDistribution d = dec.decode(poly, etaU, etaV, Decoding.MARGINALS);
            assertClose(d.marginals(), gibbs(all, score, t, y -> unary(y, s)), 1e-9);
            double p = Math.exp((BruteForce.max(all, score) - BruteForce.softMax(all, score, t)) / t);
            assertThat(d.bestProbability()).isCloseTo(p, within(1e-9));
            // k-best weights: the Gibbs distribution at T restricted to the list
            SparseDistribution k = dec.kBest(poly, etaU, etaV, 4);
            List<int[]> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingDouble(score).reversed());
            double z = 0;
            for (int i = 0; i < 4; i++) {
                z += Math.exp(score.applyAsDouble(sorted.get(i)) / t);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(k.weights()[i]).isCloseTo(Math.exp(score.applyAsDouble(sorted.get(i)) / t) / z,
                        within(1e-9));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void calibratedSparseMapIsSparseMapWithGammaTimesTheTemperature(long seed) {
        Random rng = new Random(seed);
        int n = 4;
        double[] eta = gaussian(rng, (n + 1) * (n + 1));
        double t = 0.25 + seed * 0.6;
        TreeDecoder calibrated = new TreeDecoder(OPTIONS);
        calibrated.calibration(Calibration.NONE.with(Decoding.SPARSEMAP, t));
        TreeDecoder scaled = new TreeDecoder(OPTIONS.withGamma(OPTIONS.gamma() * t));
        SparseDistribution a = calibrated.decode(n, eta, Decoding.SPARSEMAP);
        SparseDistribution b = scaled.decode(n, eta, Decoding.SPARSEMAP);
        assertClose(a.marginals(), b.marginals(), 1e-12);
        assertClose(a.weights(), b.weights(), 1e-12);
        // its best tree's probability: the Gibbs probability at the marginals temperature (1 here), not its weight
        TreePolytope poly = new TreePolytope(n, false, true);
        ToDoubleFunction<int[]> score = h -> poly.structure(h).score(eta, null);
        List<int[]> all = trees(n);
        double gibbs = Math.exp(score.applyAsDouble(a.best()) - BruteForce.softMax(all, score, 1.0));
        assertThat(a.bestProbability()).isCloseTo(gibbs, within(1e-9));
        calibrated.calibration(calibrated.calibration().with(Decoding.MARGINALS, 0.5));
        SparseDistribution sharp = calibrated.decode(n, eta, Decoding.SPARSEMAP);
        assertThat(sharp.bestProbability()).isCloseTo(Math.exp((score.applyAsDouble(sharp.best())
                - BruteForce.softMax(all, score, 0.5)) / 0.5), within(1e-9));
        // and against the uncalibrated decoder: SparseMAP of θ / T at γ
        double[] scaledEta = eta.clone();
        for (int i = 0; i < scaledEta.length; i++) {
            scaledEta[i] /= t;
        }
        SparseDistribution c = new TreeDecoder(OPTIONS).decode(n, scaledEta, Decoding.SPARSEMAP);
        assertClose(a.marginals(), c.marginals(), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aSparseMapSequenceReportsTheGibbsProbabilityOfItsBest(long seed) {
        Random rng = new Random(seed);
        int n = 3;
        int s = 3;
        SequencePolytope poly = new SequencePolytope(n, s);
        double[] etaU = gaussian(rng, n * s);
        double[] etaV = poly.packExtra(gaussian(rng, s * s), gaussian(rng, s), gaussian(rng, s));
        List<int[]> all = new ArrayList<>();
        for (int c = 0; c < s * s * s; c++) {
            all.add(new int[] {c % s, (c / s) % s, c / (s * s)});
        }
        ToDoubleFunction<int[]> score = y -> poly.structure(y).score(etaU, etaV);
        SequenceDecoder dec = new SequenceDecoder(s, OPTIONS);
        dec.calibration(Calibration.NONE.with(Decoding.MARGINALS, 1.5).with(Decoding.SPARSEMAP, 2.0));
        SparseDistribution d = dec.decode(poly, etaU, etaV, Decoding.SPARSEMAP);
        double p = Math.exp((score.applyAsDouble(d.best()) - BruteForce.softMax(all, score, 1.5)) / 1.5);
        assertThat(d.bestProbability()).isCloseTo(p, within(1e-9));
    }

    @Test
    void theExponentChangesTheBestProbabilityOnly() {
        Random rng = new Random(9);
        int n = 4;
        double[] eta = gaussian(rng, (n + 1) * (n + 1));
        TreeDecoder plain = new TreeDecoder(OPTIONS);
        TreeDecoder exp = new TreeDecoder(OPTIONS);
        exp.calibration(Calibration.NONE.withExponent(Decoding.SPARSEMAP, 2.0).withExponent(Decoding.MARGINALS, 0.5));
        for (Decoding d : List.of(Decoding.SPARSEMAP, Decoding.MARGINALS)) {
            SparseDistribution a = plain.decode(n, eta, d);
            SparseDistribution b = exp.decode(n, eta, d);
            assertClose(b.marginals(), a.marginals(), 0);
            assertClose(b.weights(), a.weights(), 0);
            double e = d == Decoding.SPARSEMAP ? 2.0 : 0.5;
            assertThat(b.bestProbability()).isCloseTo(Math.pow(a.bestProbability(), e), within(1e-15));
        }
        assertThat(exp.decode(n, eta, Decoding.MAP).bestProbability()).isEqualTo(1.0);
    }

    @Test
    void calibrationChecksItsValues() {
        assertThatThrownBy(() -> new Calibration(Map.of(Decoding.SPARSEMAP, 0.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sparsemap");
        assertThatThrownBy(() -> new Calibration(Map.of(Decoding.MARGINALS, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Calibration(Map.of(Decoding.MARGINALS, Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Calibration(Map.of(Decoding.MAP, 2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map");
        assertThatThrownBy(() -> Calibration.NONE.withExponent(Decoding.SPARSEMAP, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exponent");
        Calibration c = Calibration.NONE.with(Decoding.SPARSEMAP, 2).withExponent(Decoding.SPARSEMAP, 3);
        assertThat(c.temperature(Decoding.SPARSEMAP)).isEqualTo(2);
        assertThat(c.temperature(Decoding.MARGINALS)).isEqualTo(1);
        assertThat(c.exponent(Decoding.SPARSEMAP)).isEqualTo(3);
        assertThat(c.bestProbability(Decoding.SPARSEMAP, 0.5)).isEqualTo(0.125);
        assertThat(c.bestProbability(Decoding.SPARSEMAP, Double.NaN)).isNaN();
        assertThat(c.isNone()).isFalse();
        assertThat(Calibration.NONE.isNone()).isTrue();
        assertThat(Calibration.NONE.with(Decoding.DP_L2, 1.0).isNone()).isTrue();
    }

    private static List<int[]> trees(int n) {
        int nn = n + 1;
        List<int[]> all = new ArrayList<>();
        int total = (int) Math.pow(nn, n);
        for (int c = 0; c < total; c++) {
            int[] h = new int[n];
            int x = c;
            for (int m = 0; m < n; m++) {
                h[m] = x % nn;
                x /= nn;
            }
            if (isTree(h, true)) {
                all.add(h);
            }
        }
        return all;
    }
}
