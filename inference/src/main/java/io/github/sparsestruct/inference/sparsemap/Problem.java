package io.github.sparsestruct.inference.sparsemap;

import java.util.ArrayList;
import java.util.List;

/** Scaled scores of one SparseMAP instance and the arithmetic the solvers share (package-private). */
final class Problem {
    final StructuredPolytope polytope;
    final double gamma;
    /** η_u / γ and η_v / γ: the solvers work on the γ = 1 problem and rescale at the end. */
    final double[] etaU;
    final double[] etaV;
    final double[] originalEtaU;
    final double[] originalEtaV;

    Problem(StructuredPolytope polytope, double[] etaU, double[] etaV, double gamma) {
        this.polytope = polytope;
        this.gamma = gamma;
        int du = polytope.unaryDim();
        int dv = polytope.extraDim();
        if (etaU == null || etaU.length != du) {
            throw new IllegalArgumentException("SparseMAP unary scores must have length " + du + ", got "
                    + (etaU == null ? "null" : etaU.length));
        }
        if (dv > 0 && (etaV == null || etaV.length != dv)) {
            throw new IllegalArgumentException("SparseMAP additional scores must have length " + dv + ", got "
                    + (etaV == null ? "null" : etaV.length));
        }
        this.originalEtaU = etaU;
        this.originalEtaV = dv > 0 ? etaV : null;
        this.etaU = scaled(etaU, gamma, "unary");
        this.etaV = dv > 0 ? scaled(etaV, gamma, "additional") : null;
    }

    /**
     * Validates x (finite or −∞) and returns a private copy of x / γ. Always a copy, also when γ = 1: the solvers
     * hand these arrays to the oracle many times during a solve, so they must not depend on the caller leaving its
     * array alone (or on an oracle leaving its input alone); a copy of a few thousand doubles is noise next to a
     * solve.
     */
    private static double[] scaled(double[] x, double gamma, String what) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            if (Double.isNaN(a) || a == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("SparseMAP " + what + " score " + i + " is " + a
                        + "; scores must be finite or -Infinity");
            }
            y[i] = gamma == 1.0 ? a : a / gamma;
        }
        return y;
    }

    /** The MAP structure for the scaled scores, or an exception when every structure scores −∞. */
    Structure map() {
        Structure s = polytope.argmaxValidated(etaU, etaV);
        if (s == null || s.score(etaU, etaV) == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("SparseMAP has no feasible structure: every structure scores -Infinity");
        }
        return s;
    }

    /** Scaled score c(s) = ⟨η_u, u_s⟩ + ⟨η_v, v_s⟩ / γ. */
    double score(Structure s) {
        return s.score(etaU, etaV);
    }

    /** The MAP oracle at validated scores (the scaled η_v and a gradient built from validated η_u). */
    Structure oracle(double[] g) {
        return polytope.argmaxValidated(g, etaV);
    }

    /** Dense u = Σ α_i u_i into {@code u}. */
    void unaryMarginals(List<Structure> support, double[] alpha, double[] u) {
        java.util.Arrays.fill(u, 0.0);
        for (int i = 0; i < support.size(); i++) {
            double a = alpha[i];
            for (int j : support.get(i).unary()) {
                u[j] += a;
            }
        }
    }

    /** Gradient of the scaled objective with respect to u: η_u/γ − u, into {@code g}. */
    void gradient(double[] u, double[] g) {
        for (int i = 0; i < g.length; i++) {
            g[i] = etaU[i] - u[i];
        }
    }

    /** Builds the immutable result, rescaling the objective by γ. */
    SparseMapResult result(List<Structure> support, double[] alpha, int iterations, double gap, boolean converged,
                           SparseMapBackward backward) {
        List<Structure> sup = new ArrayList<>(support.size());
        double total = 0;
        for (int i = 0; i < support.size(); i++) {
            if (alpha[i] > 0) {
                total += alpha[i];
            }
        }
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < support.size(); i++) {
            if (alpha[i] > 0) {
                sup.add(support.get(i));
                w.add(alpha[i] / total);
            }
        }
        double[] weights = w.stream().mapToDouble(Double::doubleValue).toArray();
        double[] u = new double[polytope.unaryDim()];
        double[] v = new double[polytope.extraDim()];
        double linear = 0;
        for (int i = 0; i < sup.size(); i++) {
            Structure s = sup.get(i);
            for (int j : s.unary()) {
                u[j] += weights[i];
            }
            for (int j : s.extra()) {
                v[j] += weights[i];
            }
            linear += weights[i] * s.score(originalEtaU, originalEtaV);
        }
        double sq = 0;
        for (double x : u) {
            sq += x * x;
        }
        double objective = linear - 0.5 * gamma * sq;
        return new SparseMapResult(List.copyOf(sup), weights, u, v, objective, iterations, gap * gamma, converged,
                backward);
    }
}
