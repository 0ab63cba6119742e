package io.github.sparsestruct.inference.sparsemap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SparseMAP by conditional gradient (Frank-Wolfe) over the convex hull of the structures, with exact line search
 * on the quadratic objective. Variants: {@link Variant#VANILLA}, {@link Variant#AWAY_STEP} (Lacoste-Julien &amp;
 * Jaggi 2015) and {@link Variant#PAIRWISE}. Each iteration costs one oracle call. Converges more slowly than
 * {@link ActiveSetSolver} and returns no backward pass ({@link SparseMapResult#backward()} is null); for
 * derivatives, warm-start an {@link ActiveSetSolver} from this result's support. Thread-safe (no state).
 */
public final class FrankWolfeSolver implements SparseMapSolver {
    /** Which directions the solver may take. */
    public enum Variant {
        /** Towards the oracle's structure only. */
        VANILLA,
        /** Towards the oracle's structure, or away from the worst active structure. */
        AWAY_STEP,
        /** Moves weight from the worst active structure to the oracle's structure. */
        PAIRWISE
    }

    private final Variant variant;
    private final SparseMapOptions options;

    /** A solver of the given variant with the given options. */
    public FrankWolfeSolver(Variant variant, SparseMapOptions options) {
        this.variant = variant;
        this.options = options;
    }

    /** The variant of this solver. */
    public Variant variant() {
        return variant;
    }

    @Override
    public SparseMapResult solve(StructuredPolytope polytope, double[] etaU, double[] etaV,
                                 List<Structure> warmSupport, double[] warmWeights) {
        Problem pb = new Problem(polytope, etaU, etaV, options.gamma());
        List<Structure> atoms = new ArrayList<>();
        double[] alpha = new double[8];
        if (warmSupport != null && !warmSupport.isEmpty()) {
            double tot = 0;
            for (int i = 0; i < warmSupport.size(); i++) {
                Structure s = warmSupport.get(i);
                double w = warmWeights == null ? 1.0 : warmWeights[i];
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("SparseMAP warm-start weight " + i + " is " + w);
                }
                if (pb.score(s) == Double.NEGATIVE_INFINITY || atoms.contains(s) || w == 0) {
                    continue;
                }
                if (atoms.size() == alpha.length) {
                    alpha = Arrays.copyOf(alpha, 2 * alpha.length);
                }
                alpha[atoms.size()] = w;
                atoms.add(s);
                tot += w;
            }
            for (int i = 0; i < atoms.size(); i++) {
                alpha[i] /= tot;
            }
        }
        if (atoms.isEmpty()) {
            atoms.add(pb.map());
            alpha[0] = 1;
        }
        int du = polytope.unaryDim();
        double[] u = new double[du];
        double[] g = new double[du];
        double[] ga = new double[8];
        pb.unaryMarginals(atoms, alpha, u);
        int iterations = 0;
        double gap = Double.POSITIVE_INFINITY;
        boolean converged = false;
        while (iterations < options.maxIterations()) {
            pb.gradient(u, g);
            Structure s = polytope.argmax(g, pb.etaV);
            iterations++;
            double gs = s.score(g, pb.etaV);
            int k = atoms.size();
            if (ga.length < k) {
                ga = new double[Math.max(k, 2 * ga.length)];
            }
            double gx = 0;
            int away = -1;
            for (int i = 0; i < k; i++) {
                ga[i] = atoms.get(i).score(g, pb.etaV);
                gx += alpha[i] * ga[i];
                if (alpha[i] > 0 && (away < 0 || ga[i] < ga[away])) {
                    away = i;
                }
            }
            gap = Math.max(0.0, gs - gx);
            if (gs - gx <= options.tolerance() / pb.gamma) {
                converged = true;
                break;
            }
            double uu = 0;
            for (double x : u) {
                uu += x * x;
            }
            double usU = 0;
            for (int j : s.unary()) {
                usU += u[j];
            }
            boolean towards;
            double gain;
            double dd;
            double tmax;
            int sIdx = atoms.indexOf(s);
            if (variant == Variant.PAIRWISE) {
                Structure a = atoms.get(away);
                gain = gs - ga[away];
                dd = s.unary().length + a.unary().length - 2.0 * s.unaryOverlap(a);
                tmax = alpha[away];
                towards = true;
            } else if (variant == Variant.AWAY_STEP && gx - ga[away] > gs - gx && alpha[away] < 1) {
                Structure a = atoms.get(away);
                double uaU = 0;
                for (int j : a.unary()) {
                    uaU += u[j];
                }
                gain = gx - ga[away];
                dd = uu - 2 * uaU + a.unary().length;
                tmax = alpha[away] / (1 - alpha[away]);
                towards = false;
            } else {
                gain = gs - gx;
                dd = s.unary().length - 2 * usU + uu;
                tmax = 1.0;
                towards = true;
            }
            double t = dd > 0 ? Math.min(tmax, gain / dd) : tmax;
            if (!(t > 0)) {
                break; // no progress possible along the chosen direction
            }
            if (towards && sIdx < 0) {
                if (k == alpha.length) {
                    alpha = Arrays.copyOf(alpha, 2 * alpha.length);
                }
                atoms.add(s);
                alpha[k] = 0;
                sIdx = k;
                k++;
            }
            if (variant == Variant.PAIRWISE) {
                alpha[away] -= t;
                alpha[sIdx] += t;
                if (t == tmax) {
                    alpha[away] = 0;
                }
            } else if (towards) {
                for (int i = 0; i < k; i++) {
                    alpha[i] *= (1 - t);
                }
                alpha[sIdx] += t;
            } else {
                for (int i = 0; i < k; i++) {
                    alpha[i] *= (1 + t);
                }
                alpha[away] -= t;
                if (t == tmax) {
                    alpha[away] = 0;
                }
            }
            // drop atoms whose weight vanished
            int w = 0;
            for (int i = 0; i < k; i++) {
                if (alpha[i] > 0) {
                    atoms.set(w, atoms.get(i));
                    alpha[w++] = alpha[i];
                }
            }
            while (atoms.size() > w) {
                atoms.remove(atoms.size() - 1);
            }
            pb.unaryMarginals(atoms, alpha, u);
        }
        return pb.result(atoms, alpha, iterations, gap, converged, null);
    }
}
