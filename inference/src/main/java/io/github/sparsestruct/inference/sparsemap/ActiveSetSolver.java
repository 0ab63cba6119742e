package io.github.sparsestruct.inference.sparsemap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SparseMAP by the active-set method (Niculae et al. 2018, §3.2; Nocedal &amp; Wright §16.5) using only the MAP
 * oracle. It keeps a set I of affinely independent structures and the inverse of the bordered KKT matrix
 * [[0, 1ᵀ], [1, MᵀM]] of the QP restricted to I, updated in O(|I|²) when a structure enters or leaves. Each round
 * either (a) the restricted QP's solution is feasible, then the oracle is called at the gradient η_u − u and its
 * structure enters I unless the duality gap is below the tolerance, or (b) it is not, then the weights move towards
 * it until one reaches zero and that structure leaves. A structure whose u is affinely dependent on I's (possible
 * because only u is regularised) is swapped in along the null direction of the KKT matrix, which raises the linear
 * part of the objective at constant u.
 *
 * <p>Results carry a {@link SparseMapBackward} built from the final KKT inverse. Thread-safe (no state).
 */
public final class ActiveSetSolver implements SparseMapSolver {
    private static final double SINGULAR = 1e-9;
    private final SparseMapOptions options;

    /** A solver with {@link SparseMapOptions#DEFAULT}. */
    public ActiveSetSolver() {
        this(SparseMapOptions.DEFAULT);
    }

    /** A solver with the given options. */
    public ActiveSetSolver(SparseMapOptions options) {
        this.options = options;
    }

    /** The options of this solver. */
    public SparseMapOptions options() {
        return options;
    }

    @Override
    public SparseMapResult solve(StructuredPolytope polytope, double[] etaU, double[] etaV,
                                 List<Structure> warmSupport, double[] warmWeights) {
        Problem pb = new Problem(polytope, etaU, etaV, options.gamma());
        State st = new State(pb);
        if (warmSupport == null || warmSupport.isEmpty()) {
            st.addFirst(pb.map());
        } else {
            st.warmStart(warmSupport, warmWeights);
        }
        double[] u = new double[polytope.unaryDim()];
        double[] g = new double[polytope.unaryDim()];
        int iterations = 0;
        double gap = Double.POSITIVE_INFINITY;
        boolean converged = false;
        boolean needSolve = true;
        int guard = 0;
        final int maxInner = 50 * options.maxIterations() + 1000;
        while (iterations < options.maxIterations() && guard++ < maxInner) {
            if (needSolve) {
                st.solveKkt();
                if (!st.takeFeasibleOrStep()) {
                    continue; // a structure left the active set; solve again
                }
                needSolve = false;
            }
            pb.unaryMarginals(st.support, st.alpha, u);
            pb.gradient(u, g);
            Structure y = pb.oracle(g);
            iterations++;
            double sy = y == null ? Double.NEGATIVE_INFINITY : y.score(g, pb.etaV);
            gap = Math.max(0.0, sy - st.tau);
            if (sy - st.tau <= options.tolerance() / pb.gamma) {
                converged = true;
                break;
            }
            if (st.indexOf(y) >= 0) {
                // Numerical drift of the incremental inverse: rebuild it once and go on.
                if (!st.rebuild()) {
                    break;
                }
                needSolve = true;
                continue;
            }
            st.add(y, pb.score(y));
            needSolve = true;
        }
        return pb.result(st.support, st.alpha, iterations, gap, converged, st.backward());
    }

    /** The active set, its weights and the inverse of the bordered KKT matrix. */
    private static final class State {
        final Problem pb;
        final List<Structure> support = new ArrayList<>();
        double[] alpha = new double[8];
        double[] c = new double[8];
        /** Inverse of B = [[0, 1ᵀ], [1, G]], (k+1)×(k+1) stored with stride {@link #cap} + 1. */
        double[] binv = new double[9 * 9];
        int cap = 8;
        double tau;
        double[] alphaHat = new double[8];
        /** Scratch: the bordered overlap column b = [1; ⟨u_s, u_i⟩] and x = Binv·b of a candidate. */
        double[] bcol = new double[9];
        double[] xcol = new double[9];
        double[] xcol2 = new double[9];

        State(Problem pb) {
            this.pb = pb;
        }

        int k() {
            return support.size();
        }

        int stride() {
            return cap + 1;
        }

        int indexOf(Structure s) {
            for (int i = 0; i < support.size(); i++) {
                if (support.get(i).equals(s)) {
                    return i;
                }
            }
            return -1;
        }

        void ensure(int k) {
            if (k <= cap) {
                return;
            }
            int nc = Math.max(k, cap * 2);
            int os = cap + 1;
            int ns = nc + 1;
            double[] nb = new double[ns * ns];
            for (int r = 0; r <= cap; r++) {
                System.arraycopy(binv, r * os, nb, r * ns, os);
            }
            binv = nb;
            bcol = new double[nc + 1];
            xcol = new double[nc + 1];
            xcol2 = new double[nc + 1];
            alpha = Arrays.copyOf(alpha, nc);
            c = Arrays.copyOf(c, nc);
            alphaHat = Arrays.copyOf(alphaHat, nc);
            cap = nc;
        }

        void addFirst(Structure s) {
            support.clear();
            support.add(s);
            alpha[0] = 1;
            c[0] = pb.score(s);
            setSingleton(s);
        }

        private void setSingleton(Structure s) {
            int st = stride();
            double d = s.unary().length;
            binv[0] = -d;
            binv[1] = 1;
            binv[st] = 1;
            binv[st + 1] = 0;
        }

        void warmStart(List<Structure> warm, double[] weights) {
            double total = 0;
            for (int i = 0; i < warm.size(); i++) {
                double w = weights == null ? 1.0 : weights[i];
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("SparseMAP warm-start weight " + i + " is " + w);
                }
                Structure s = warm.get(i);
                double cs = pb.score(s);
                if (cs == Double.NEGATIVE_INFINITY || indexOf(s) >= 0) {
                    continue; // infeasible under these scores, or repeated
                }
                if (support.isEmpty()) {
                    support.add(s);
                    alpha[0] = w;
                    c[0] = cs;
                    setSingleton(s);
                    total += w;
                } else if (tryAppend(s, cs)) {
                    alpha[k() - 1] = w;
                    total += w;
                }
            }
            if (support.isEmpty()) {
                addFirst(pb.map());
                return;
            }
            if (total <= 0) {
                Arrays.fill(alpha, 0, k(), 1.0 / k());
            } else {
                for (int i = 0; i < k(); i++) {
                    alpha[i] /= total;
                }
            }
        }

        /**
         * x = Binv · b for a candidate s, b = [1; ⟨u_s, u_i⟩] with the overlaps from the polytope's compact codes;
         * returns the Schur complement d − bᵀx. Needs capacity for k + 1 (x must hold k + 1 entries).
         */
        private double schur(Structure s, double[] x) {
            int k = k();
            int st = stride();
            double[] b = bcol;
            b[0] = 1;
            StructuredPolytope poly = pb.polytope;
            for (int i = 0; i < k; i++) {
                b[i + 1] = poly.unaryOverlap(s, support.get(i));
            }
            double bx = 0;
            for (int r = 0; r <= k; r++) {
                double acc = 0;
                int row = r * st;
                for (int q = 0; q <= k; q++) {
                    acc += binv[row + q] * b[q];
                }
                x[r] = acc;
                bx += b[r] * acc;
            }
            return s.unary().length - bx;
        }

        /** Appends s if it is affinely independent of the set; returns false (and changes nothing) otherwise. */
        private boolean tryAppend(Structure s, double cs) {
            ensure(k() + 1);
            double[] x = xcol;
            double sc = schur(s, x);
            if (sc <= SINGULAR * Math.max(1.0, s.unary().length)) {
                return false;
            }
            append(s, cs, x, sc);
            return true;
        }

        /** Rank-one update of the bordered inverse for a new member (x = Binv·b, sc its Schur complement). */
        private void append(Structure s, double cs, double[] x, double sc) {
            int k = k();
            ensure(k + 1); // x was filled with capacity for k + 1 already, so this never reallocates it
            int st = stride();
            final double[] bi = binv;
            double inv = 1.0 / sc;
            int last = (k + 1) * st;
            for (int r = 0; r <= k; r++) {
                double xr = x[r] * inv;
                int row = r * st;
                for (int q = 0; q <= k; q++) {
                    bi[row + q] += xr * x[q];
                }
                bi[row + k + 1] = -xr;
                bi[last + r] = -xr;
            }
            bi[last + k + 1] = inv;
            support.add(s);
            alpha[k] = 0;
            c[k] = cs;
        }

        /** Adds the oracle's structure, swapping out a member first when it is affinely dependent on the set. */
        void add(Structure s, double cs) {
            while (true) {
                int k = k();
                ensure(k + 1);
                double[] x = xcol;
                double sc = schur(s, x);
                if (sc > SINGULAR * Math.max(1.0, s.unary().length)) {
                    append(s, cs, x, sc);
                    return;
                }
                // u_s = Σ λ_i u_i with Σ λ_i = 1: move along α_s = t, α_I −= t λ (u stays put, the linear part
                // rises by t (c_s − λᵀc)) until some α_i with λ_i > 0 reaches zero, and let that one leave.
                int block = -1;
                double t = Double.POSITIVE_INFINITY;
                for (int i = 0; i < k; i++) {
                    double lam = x[i + 1];
                    if (lam > 1e-12) {
                        double ti = alpha[i] / lam;
                        if (ti < t) {
                            t = ti;
                            block = i;
                        }
                    }
                }
                if (block < 0) {
                    return; // cannot happen for exact arithmetic (Σ λ = 1); leave the set unchanged
                }
                for (int i = 0; i < k; i++) {
                    alpha[i] = Math.max(0.0, alpha[i] - t * x[i + 1]);
                }
                alpha[block] = 0;
                double moved = t;
                remove(block);
                if (k() == 0) {
                    addFirst(s);
                    return;
                }
                // the new member's weight is appended after the swap
                double[] x2 = xcol2;
                double sc2 = schur(s, x2);
                if (sc2 > SINGULAR * Math.max(1.0, s.unary().length)) {
                    append(s, cs, x2, sc2);
                    alpha[k() - 1] = moved;
                    renormalise();
                    return;
                }
                // still dependent (repeated structure in the representation): loop with the smaller set
                // keeping weights feasible
                renormalise();
            }
        }

        private void renormalise() {
            double tot = 0;
            for (int i = 0; i < k(); i++) {
                tot += alpha[i];
            }
            if (tot > 0) {
                for (int i = 0; i < k(); i++) {
                    alpha[i] /= tot;
                }
            } else {
                Arrays.fill(alpha, 0, k(), 1.0 / k());
            }
        }

        /** Removes member i (row/column i + 1 of the bordered inverse) in O(k²). */
        void remove(int i) {
            int k = k();
            int st = stride();
            int q = i + 1;
            double f = binv[q * st + q];
            // Binv' = A − e eᵀ / f, then drop row/column q
            for (int r = 0; r <= k; r++) {
                if (r == q) {
                    continue;
                }
                double er = binv[r * st + q];
                if (er == 0) {
                    continue;
                }
                for (int s = 0; s <= k; s++) {
                    if (s != q) {
                        binv[r * st + s] -= er * binv[q * st + s] / f;
                    }
                }
            }
            // compact: shift rows and columns after q
            for (int r = 0; r <= k; r++) {
                int rr = r < q ? r : r - 1;
                if (r == q) {
                    continue;
                }
                for (int s = 0; s <= k; s++) {
                    if (s == q) {
                        continue;
                    }
                    int ss = s < q ? s : s - 1;
                    binv[rr * st + ss] = binv[r * st + s];
                }
            }
            support.remove(i);
            System.arraycopy(alpha, i + 1, alpha, i, k - i - 1);
            System.arraycopy(c, i + 1, c, i, k - i - 1);
        }

        /** [τ; α̂] = Binv · [1; c]. */
        void solveKkt() {
            int k = k();
            int st = stride();
            for (int r = 0; r <= k; r++) {
                int row = r * st;
                double acc = binv[row];
                for (int q = 1; q <= k; q++) {
                    acc += binv[row + q] * c[q - 1];
                }
                if (r == 0) {
                    tau = acc;
                } else {
                    alphaHat[r - 1] = acc;
                }
            }
        }

        /**
         * Moves α to α̂ if feasible (returns true); otherwise steps towards it until a weight hits zero, removes
         * that structure and returns false.
         */
        boolean takeFeasibleOrStep() {
            int k = k();
            double t = 1.0;
            int block = -1;
            for (int i = 0; i < k; i++) {
                if (alphaHat[i] < 0) {
                    double ti = alpha[i] / (alpha[i] - alphaHat[i]);
                    if (ti < t) {
                        t = ti;
                        block = i;
                    }
                }
            }
            if (block < 0) {
                System.arraycopy(alphaHat, 0, alpha, 0, k);
                return true;
            }
            for (int i = 0; i < k; i++) {
                alpha[i] = Math.max(0.0, alpha[i] + t * (alphaHat[i] - alpha[i]));
            }
            alpha[block] = 0;
            remove(block);
            renormalise();
            return false;
        }

        /** Recomputes the bordered inverse from scratch by Gauss-Jordan elimination; false if singular. */
        boolean rebuild() {
            int k = k();
            int n = k + 1;
            double[][] a = new double[n][2 * n];
            for (int r = 0; r < n; r++) {
                a[r][n + r] = 1;
            }
            for (int i = 0; i < k; i++) {
                a[0][i + 1] = 1;
                a[i + 1][0] = 1;
                for (int j = 0; j < k; j++) {
                    a[i + 1][j + 1] = pb.polytope.unaryOverlap(support.get(i), support.get(j));
                }
            }
            for (int col = 0; col < n; col++) {
                int piv = col;
                for (int r = col + 1; r < n; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                        piv = r;
                    }
                }
                if (Math.abs(a[piv][col]) < 1e-12) {
                    return false;
                }
                double[] tmp = a[piv];
                a[piv] = a[col];
                a[col] = tmp;
                double d = a[col][col];
                for (int q = 0; q < 2 * n; q++) {
                    a[col][q] /= d;
                }
                for (int r = 0; r < n; r++) {
                    if (r != col && a[r][col] != 0) {
                        double f = a[r][col];
                        for (int q = 0; q < 2 * n; q++) {
                            a[r][q] -= f * a[col][q];
                        }
                    }
                }
            }
            int st = stride();
            for (int r = 0; r < n; r++) {
                for (int q = 0; q < n; q++) {
                    binv[r * st + q] = a[r][n + q];
                }
            }
            return true;
        }

        SparseMapBackward backward() {
            int k = k();
            int st = stride();
            double[] p = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    p[i * k + j] = binv[(i + 1) * st + j + 1] / pb.gamma;
                }
            }
            return new SparseMapBackward(List.copyOf(support), p, pb.polytope.unaryDim(), pb.polytope.extraDim());
        }
    }
}
