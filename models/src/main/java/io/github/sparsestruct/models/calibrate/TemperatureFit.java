package io.github.sparsestruct.models.calibrate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.models.decode.Calibration;
import io.github.sparsestruct.models.decode.Decoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Fits a decoding's temperature on a {@link CalibrationSet} by minimising the Brier score of its part weights
 * ({@link CalibrationFigures#brier()}): a walk over log T from T = 1 in steps of √2 until the score rises, then a
 * golden-section search inside the bracket, to 1 % in T, within [{@value #MIN_T}, {@value #MAX_T}]. Then, at that
 * temperature, the exponent a of the best structure's probability ({@link Calibration#exponent}) by minimising the
 * Brier score of p<sup>a</sup> against the best structure's exact match, within [{@value #MIN_A}, {@value #MAX_A}].
 */
public final class TemperatureFit {
    /** The smallest temperature tried. */
    public static final double MIN_T = 1.0 / 64;
    /** The largest temperature tried. */
    public static final double MAX_T = 64;
    /** The smallest best-structure exponent tried. */
    public static final double MIN_A = 1.0 / 16;
    /** The largest best-structure exponent tried. */
    public static final double MAX_A = 16;

    private TemperatureFit() {
    }

    /**
     * The fit of one decoding.
     *
     * @param uncalibrated the figures at T = 1 (and exponent 1)
     * @param calibrated   the figures at the fitted temperature and exponent
     * @param exponent     the fitted exponent of the best structure's probability
     * @param tried        every temperature tried, with its figures (exponent 1), by temperature
     */
    public record Fit(CalibrationFigures uncalibrated, CalibrationFigures calibrated, double exponent,
                      List<CalibrationFigures> tried) {
        /** The fitted temperature. */
        public double temperature() {
            return calibrated.temperature();
        }

        /** The fit as JSON (the temperatures tried as a list of T, Brier, part ECE, structure ECE, mean support). */
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("decode", calibrated.mode().id());
            o.put("temperature", temperature());
            if (Double.isNaN(exponent)) {
                o.putNull("structureExponent");
            } else {
                o.put("structureExponent", exponent);
            }
            o.set("uncalibrated", uncalibrated.toJson());
            o.set("calibrated", calibrated.toJson());
            ArrayNode t = o.putArray("tried");
            for (CalibrationFigures f : tried) {
                ArrayNode row = t.addArray().add(f.temperature()).add(f.brier()).add(f.parts().ece());
                double se = f.structures().ece();
                (Double.isNaN(se) ? row.addNull() : row.add(se)).add(f.ambiguity().meanSupport());
            }
            return o;
        }

        /** One line: the decoding, T, and Brier / ECEs / support before and after. */
        public String line() {
            CalibrationFigures u = uncalibrated;
            CalibrationFigures c = calibrated;
            return String.format(Locale.ROOT, "%-9s T=%.3f a=%.3f  Brier %.4f -> %.4f  %s ECE %.4f -> %.4f  structure ECE "
                    + "%.4f -> %.4f  mean support %.2f -> %.2f%n", c.mode().id(), c.temperature(), exponent, u.brier(),
                    c.brier(), c.ambiguity().partName(), u.parts().ece(), c.parts().ece(), u.structures().ece(),
                    c.structures().ece(), u.ambiguity().meanSupport(), c.ambiguity().meanSupport());
        }
    }

    /** The figures of {@code mode} at temperature {@code t} (the set is left calibrated at {@code t}). */
    public static CalibrationFigures figures(CalibrationSet set, Decoding mode, double t) {
        set.calibrate(set.calibration().with(mode, t));
        List<CalibrationSet.Decoded> d = IntStream.range(0, set.size()).parallel().mapToObj(i -> set.decode(i, mode))
                .toList();
        return CalibrationFigures.of(mode, t, set.partName(), d);
    }

    /**
     * Fits the temperature of {@code mode} and leaves the set calibrated with it (the other decodings' temperatures
     * unchanged).
     *
     * @throws IllegalArgumentException for {@link Decoding#MAP} (no temperature) or an empty set
     */
    public static Fit fit(CalibrationSet set, Decoding mode) {
        if (mode == Decoding.MAP) {
            throw new IllegalArgumentException("map decoding has no temperature to fit");
        }
        if (set.size() == 0) {
            throw new IllegalArgumentException("no sentences to calibrate on");
        }
        Calibration base = set.calibration().withExponent(mode, 1);
        set.calibrate(base);
        TreeMap<Double, CalibrationFigures> tried = new TreeMap<>();
        java.util.function.DoubleUnaryOperator f = logT -> {
            double t = Math.exp(logT);
            return tried.computeIfAbsent(t, x -> figures(set, mode, x)).brier();
        };
        double step = 0.5 * Math.log(2);
        double lo = Math.log(MIN_T);
        double hi = Math.log(MAX_T);
        double x = 0;
        double fx = f.applyAsDouble(x);
        double dir = f.applyAsDouble(x + step) < fx ? 1 : -1;
        double a = x - dir * step;
        while (true) {
            double next = x + dir * step;
            if (next < lo - 1e-12 || next > hi + 1e-12) {
                break;
            }
            double fn = f.applyAsDouble(next);
            if (fn >= fx) {
                a = x - dir * step;
                double b = next;
                x = golden(f, Math.max(lo, Math.min(a, b)), Math.min(hi, Math.max(a, b)));
                break;
            }
            a = x;
            x = next;
            fx = fn;
        }
        double best = tried.entrySet().stream().min((p, q) -> Double.compare(p.getValue().brier(),
                q.getValue().brier())).orElseThrow().getKey();
        CalibrationFigures one = tried.computeIfAbsent(1.0, t -> figures(set, mode, t));
        set.calibrate(base.with(mode, best));
        double exp = exponent(set, mode);
        if (Double.isNaN(exp)) {
            return new Fit(one, tried.get(best), exp, new ArrayList<>(tried.values()));
        }
        set.calibrate(base.with(mode, best).withExponent(mode, exp));
        CalibrationFigures calibrated = exp == 1.0 ? tried.get(best) : figures(set, mode, best);
        return new Fit(one, calibrated, exp, new ArrayList<>(tried.values()));
    }

    /**
     * The exponent a minimising Σ (p<sup>a</sup> − [best exact])² over the set at its current calibration (exponent
     * 1); NaN where the decoding gives no best-structure probability.
     */
    static double exponent(CalibrationSet set, Decoding mode) {
        List<CalibrationSet.Decoded> d = IntStream.range(0, set.size()).parallel().mapToObj(i -> set.decode(i, mode))
                .toList();
        double[] p = d.stream().mapToDouble(CalibrationSet.Decoded::bestProbability).toArray();
        if (Arrays.stream(p).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        boolean[] y = new boolean[p.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.get(i).bestExact();
        }
        return exponent(p, y);
    }

    /** The exponent a in [{@value #MIN_A}, {@value #MAX_A}] minimising Σ (p<sub>i</sub><sup>a</sup> − y<sub>i</sub>)². */
    public static double exponent(double[] p, boolean[] y) {
        java.util.function.DoubleUnaryOperator f = logA -> {
            double a = Math.exp(logA);
            double s = 0;
            for (int i = 0; i < p.length; i++) {
                double q = Math.pow(p[i], a) - (y[i] ? 1 : 0);
                s += q * q;
            }
            return s;
        };
        double x = golden(f, Math.log(MIN_A), Math.log(MAX_A));
        // the Brier score of p^a is not always unimodal in log a on real data: keep 1 unless the fit is better
        return f.applyAsDouble(x) < f.applyAsDouble(0) ? Math.exp(x) : 1.0;
    }

    /** Golden-section minimum of {@code f} in [a, b], to 0.01 in log T. */
    private static double golden(java.util.function.DoubleUnaryOperator f, double a, double b) {
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        while (b - a > 0.01) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = f.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }
}
