package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.smooth.SmoothedMax;

/**
 * Fenchel-Young losses over the probability simplex (one-of-K), L_Ω(θ; t) = max_Ω(θ) + Ω(t) − ⟨θ, t⟩, with
 * gradient ∇max_Ω(θ) − t (Blondel, Martins &amp; Niculae 2020). Targets are distributions (a one-hot vector for a
 * class label). All are ≥ 0 and vanish exactly when t is the regularised prediction ∇max_Ω(θ).
 */
public final class VectorLosses {
    private VectorLosses() {
    }

    /** Logistic (softmax, cross-entropy) loss with temperature γ: Ω = γ·Σ t log t. */
    public static double softmax(double[] theta, double[] target, double gamma, double[] grad) {
        checkTarget(theta, target);
        double m = SmoothedMax.negEntropy(gamma).max(theta, 0, theta.length, grad, 0);
        double omega = 0;
        for (double t : target) {
            if (t > 0) {
                omega += t * Math.log(t);
            }
        }
        return finish(theta, target, grad, m + gamma * omega);
    }

    /** Sparsemax loss: Ω = (γ/2)‖t‖²; the prediction sparsemax(θ/γ) can have exact zeros. */
    public static double sparsemax(double[] theta, double[] target, double gamma, double[] grad) {
        checkTarget(theta, target);
        double m = SmoothedMax.squaredL2(gamma).max(theta, 0, theta.length, grad, 0);
        double omega = 0;
        for (double t : target) {
            omega += t * t;
        }
        return finish(theta, target, grad, m + 0.5 * gamma * omega);
    }

    /** Perceptron loss: max_i θ_i − ⟨θ, t⟩ (Ω = 0 on the simplex); gradient e_argmax − t. */
    public static double perceptron(double[] theta, double[] target, double[] grad) {
        checkTarget(theta, target);
        double m = SmoothedMax.hard().max(theta, 0, theta.length, grad, 0);
        return finish(theta, target, grad, m);
    }

    /** A one-hot target of length k for class y. */
    public static double[] oneHot(int k, int y) {
        if (y < 0 || y >= k) {
            throw new IllegalArgumentException("class " + y + " is outside 0.." + (k - 1));
        }
        double[] t = new double[k];
        t[y] = 1;
        return t;
    }

    private static double finish(double[] theta, double[] target, double[] grad, double partial) {
        double dot = 0;
        for (int i = 0; i < theta.length; i++) {
            if (target[i] != 0) {
                dot += theta[i] * target[i];
            }
            grad[i] -= target[i];
        }
        return Math.max(0.0, partial - dot);
    }

    private static void checkTarget(double[] theta, double[] target) {
        if (theta.length != target.length) {
            throw new IllegalArgumentException("scores and target differ in length: " + theta.length + " vs "
                    + target.length);
        }
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            if (!(target[i] >= 0)) {
                throw new IllegalArgumentException("target entry " + i + " is " + target[i] + "; a target is a "
                        + "probability distribution");
            }
            if (target[i] > 0 && theta[i] == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("target puts weight on class " + i + " whose score is -Infinity");
            }
            sum += target[i];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("target sums to " + sum + "; a target is a probability distribution");
        }
    }
}
