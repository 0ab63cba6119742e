package io.github.sparsestruct.benchmarks.baseline;

import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.ArrayList;
import java.util.List;

/*
 * Pre-optimisation version of {@code Problem} (issue 27), copied unchanged apart from names and package so that the
 * benchmarks measure new/old ratios in one run. Do not optimise it.
 */
/** Scaled scores of one SparseMAP instance and the arithmetic the solvers share (package-private). */
final class ProblemBaseline {
    final StructuredPolytope polytope;
    final double gamma;
    /** η_u / γ and η_v / γ: the solvers work on the γ = 1 problem and rescale at the end. */
    final double[] etaU;
    final double[] etaV;
    final double[] originalEtaU;
    final double[] originalEtaV;

    ProblemBaseline(StructuredPolytope polytope, double[] etaU, double[] etaV, double gamma) {
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

    private static double[] scaled(double[] x, double gamma, String what) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            if (Double.isNaN(a) || a == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("SparseMAP " + what + " score " + i + " is " + a
                        + "; scores must be finite or -Infinity");
            }
            y[i] = a / gamma;
        }
        return y;
    }

    /** The MAP structure for the scaled scores, or an exception when every structure scores −∞. */
    Structure map() {
        Structure s = polytope.argmax(etaU, etaV);
        if (s == null || s.score(etaU, etaV) == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("SparseMAP has no feasible structure: every structure scores -Infinity");
        }
        return s;
    }

    /** Scaled score c(s) = ⟨η_u, u_s⟩ + ⟨η_v, v_s⟩ / γ. */
    double score(Structure s) {
        return s.score(etaU, etaV);
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
                           Object backward) {
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
                null);
    }
}
