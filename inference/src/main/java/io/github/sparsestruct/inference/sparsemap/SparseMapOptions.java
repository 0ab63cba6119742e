package io.github.sparsestruct.inference.sparsemap;

/**
 * Settings shared by the SparseMAP solvers.
 *
 * @param gamma         strength γ &gt; 0 of the regulariser (γ/2)‖u‖² (1 in the SparseMAP paper)
 * @param maxIterations most oracle calls per solve
 * @param tolerance     stop when the Frank-Wolfe duality gap is at most this (absolute, in score units)
 */
public record SparseMapOptions(double gamma, int maxIterations, double tolerance) {
    /** γ = 1, 1000 iterations, gap tolerance 1e-9. */
    public static final SparseMapOptions DEFAULT = new SparseMapOptions(1.0, 1000, 1e-9);

    public SparseMapOptions {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("SparseMAP gamma must be finite and > 0, got " + gamma);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("SparseMAP maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("SparseMAP tolerance must be >= 0, got " + tolerance);
        }
    }

    /** A copy with another γ. */
    public SparseMapOptions withGamma(double g) {
        return new SparseMapOptions(g, maxIterations, tolerance);
    }

    /** A copy with another iteration limit. */
    public SparseMapOptions withMaxIterations(int n) {
        return new SparseMapOptions(gamma, n, tolerance);
    }

    /** A copy with another gap tolerance. */
    public SparseMapOptions withTolerance(double t) {
        return new SparseMapOptions(gamma, maxIterations, t);
    }
}
