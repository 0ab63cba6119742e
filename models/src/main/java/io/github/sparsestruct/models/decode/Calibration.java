package io.github.sparsestruct.models.decode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A model's calibration: per decoding, a temperature T &gt; 0 that divides the scores before decoding, fitted on dev
 * data so that part weights mean what they say. For {@link Decoding#MARGINALS} and the DP_Ω decodings T is the
 * smoothing temperature (CRF / matrix-tree marginals of θ/T); for {@link Decoding#SPARSEMAP} it is the
 * regularisation strength γ (SparseMAP of θ/T with γ = 1 is SparseMAP of θ with γ = T), which also sets how many
 * structures survive. {@link Decoding#MAP} is unchanged by any temperature. The temperature of
 * {@link Decoding#MARGINALS} also weights k-best lists (the Gibbs distribution of θ/T restricted to the list).
 * Decodings without an entry have T = 1 (uncalibrated).
 *
 * <p>The probability a decoding gives its best structure (the Gibbs probability of the MAP structure, or of
 * SparseMAP's heaviest, at the marginals temperature) is calibrated apart, against the rate at which the best structure is exactly right: it is
 * reported as p<sup>a</sup> with a per-decoding exponent a (1 when absent). The exponent changes no part weight and no
 * listed weight, only {@link SparseDistribution#bestProbability()} and what is derived from it (the uncertainty).
 *
 * @param temperatures the temperature of each calibrated decoding
 * @param exponents    the exponent of each decoding's best-structure probability
 */
public record Calibration(Map<Decoding, Double> temperatures, Map<Decoding, Double> exponents) {
    /** No calibration: every temperature and exponent 1. */
    public static final Calibration NONE = new Calibration(Map.of());

    /** A calibration of temperatures only. */
    public Calibration(Map<Decoding, Double> temperatures) {
        this(temperatures, Map.of());
    }

    /**
     * Checks and copies the temperatures.
     *
     * @throws IllegalArgumentException when a temperature is not finite and positive, or is given for {@code map}
     */
    public Calibration {
        temperatures = checked(temperatures, "temperature", true);
        exponents = checked(exponents, "best-structure exponent", false);
    }

    private static Map<Decoding, Double> checked(Map<Decoding, Double> values, String what, boolean noMap) {
        EnumMap<Decoding, Double> copy = new EnumMap<>(Decoding.class);
        for (Map.Entry<Decoding, Double> e : values.entrySet()) {
            double t = e.getValue();
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("the " + what + " of " + e.getKey().id()
                        + " must be finite and > 0, got " + t);
            }
            if (noMap && e.getKey() == Decoding.MAP) {
                throw new IllegalArgumentException("map decoding has no " + what);
            }
            copy.put(e.getKey(), t);
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The temperature of a decoding (1 when uncalibrated). */
    public double temperature(Decoding mode) {
        return temperatures.getOrDefault(mode, 1.0);
    }

    /** The exponent of the best-structure probability of a decoding (1 when uncalibrated). */
    public double exponent(Decoding mode) {
        return exponents.getOrDefault(mode, 1.0);
    }

    /** A best-structure probability {@code p} of {@code mode}, calibrated: p<sup>a</sup>. */
    public double bestProbability(Decoding mode, double p) {
        double a = exponent(mode);
        return a == 1.0 || Double.isNaN(p) ? p : Math.pow(p, a);
    }

    /** This calibration with the temperature of {@code mode} set to {@code t}. */
    public Calibration with(Decoding mode, double t) {
        return new Calibration(put(temperatures, mode, t), exponents);
    }

    /** This calibration with the best-structure exponent of {@code mode} set to {@code a}. */
    public Calibration withExponent(Decoding mode, double a) {
        return new Calibration(temperatures, put(exponents, mode, a));
    }

    private static Map<Decoding, Double> put(Map<Decoding, Double> m, Decoding mode, double v) {
        EnumMap<Decoding, Double> c = new EnumMap<>(Decoding.class);
        c.putAll(m);
        c.put(mode, v);
        return c;
    }

    /** Whether every temperature and exponent is 1. */
    public boolean isNone() {
        return temperatures.values().stream().allMatch(t -> t == 1.0)
                && exponents.values().stream().allMatch(t -> t == 1.0);
    }
}
