package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.sparsemap.Structure;
import java.util.Arrays;

/** Shared arithmetic of the structured losses (package-private). */
final class Losses {
    private Losses() {
    }

    /** gradU/gradV −= indicator of the target; returns the target's score ⟨η, y⟩ (checked finite). */
    static double subtractTarget(Structure target, double[] etaU, double[] etaV, double[] gradU, double[] gradV) {
        double s = target.score(etaU, etaV);
        if (s == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("the target structure " + target + " scores -Infinity: it is "
                    + "forbidden by the scores, so its loss is infinite");
        }
        if (Double.isNaN(s)) {
            throw new IllegalArgumentException("the target's score is NaN: the scores contain NaN");
        }
        for (int i : target.unary()) {
            gradU[i] -= 1;
        }
        if (gradV != null) {
            for (int j : target.extra()) {
                gradV[j] -= 1;
            }
        }
        return s;
    }

    /**
     * gradU/gradV −= μ (a soft target); returns ⟨η, μ⟩, where a −∞ score with no target mass adds nothing.
     *
     * @throws IllegalArgumentException on lengths that differ from the gradients', NaN or negative target entries,
     *                                  or target mass on a −∞ score
     */
    static double subtractSoftTarget(double[] targetU, double[] targetV, double[] etaU, double[] etaV, double[] gradU,
                                     double[] gradV) {
        double s = softPart(targetU, etaU, gradU, "unary");
        if (gradV != null) {
            if (targetV == null) {
                throw new IllegalArgumentException("the structure has additional parts: give their target too");
            }
            s += softPart(targetV, etaV, gradV, "additional");
        }
        return s;
    }

    private static double softPart(double[] mu, double[] eta, double[] grad, String what) {
        if (mu.length != grad.length) {
            throw new IllegalArgumentException(what + " target has " + mu.length + " entries, the scores "
                    + grad.length);
        }
        double s = 0;
        for (int i = 0; i < mu.length; i++) {
            double m = mu[i];
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException(what + " target " + i + " is " + m + ": a marginal is finite and "
                        + ">= 0");
            }
            grad[i] -= m;
            if (m > 0) {
                if (eta[i] == Double.NEGATIVE_INFINITY) {
                    throw new IllegalArgumentException("the target puts mass " + m + " on " + what + " part " + i
                            + ", which the scores forbid (-Infinity): its loss is infinite");
                }
                s += m * eta[i];
            }
        }
        return s;
    }

    /** Writes the indicator vectors of s into gradU/gradV (after zeroing them). */
    static void setIndicator(Structure s, double[] gradU, double[] gradV) {
        Arrays.fill(gradU, 0.0);
        for (int i : s.unary()) {
            gradU[i] = 1;
        }
        if (gradV != null) {
            Arrays.fill(gradV, 0.0);
            for (int j : s.extra()) {
                gradV[j] = 1;
            }
        }
    }

    /** η_u + (1 − y_u): the Hamming cost of the unary part added to the scores. */
    static double[] hammingAugmented(double[] etaU, Structure target) {
        double[] a = new double[etaU.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = etaU[i] + 1.0;
        }
        for (int i : target.unary()) {
            a[i] -= 1.0;
        }
        return a;
    }

    static void checkNaN(double[] x, String what) {
        if (x == null) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i])) {
                throw new IllegalArgumentException(what + " score " + i + " is NaN");
            }
        }
    }
}
