package io.github.sparsestruct.inference.dp;

import io.github.sparsestruct.inference.smooth.SmoothedMax;
import java.util.Arrays;

/**
 * DP_Ω on a directed acyclic graph (Mensch &amp; Blondel 2018, §2.1–2.4, App. A.5, A.7): the smoothed value of the
 * highest-scoring path from node 0 to node N−1, its gradient (the expected path, an edge marginal vector) and its
 * Hessian-vector products, each in O(|E|).
 *
 * <p>Nodes 0..N−1 are in topological order; node 0 is the start (value 0) and node N−1 the end. Edges are given in
 * CSR form by child: the incoming edges of node i ≥ 1 are k ∈ [ptr[i], ptr[i+1]), from {@code parent[k] < i}, with
 * weight θ[k]. Then v_0 = 0, v_i = max_Ω over incoming k of (θ[k] + v_parent[k]) and DP_Ω(θ) = v_{N−1}.
 *
 * <p>θ may contain -∞ (the edge gets weight 0); if the end is unreachable the value is -∞ and the gradient all
 * zeros. NaN and +∞ weights are rejected. An instance owns its workspace (and a copy of the operator): it is not
 * thread-safe; use one per thread.
 */
public final class DagDp {
    private final int[] ptr;
    private final int[] parent;
    private final SmoothedMax op;
    private final int n;
    private final int m;
    private final double[] v;
    private final double[] vDot;
    private final double[] eBar;
    private final double[] eBarDot;
    private final double[] q;
    private final double[] qDot;
    private final double[] buf;

    /**
     * @param ptr    CSR row pointers by child, length N+1 (N ≥ 1), ptr[0] = ptr[1] = 0, non-decreasing,
     *               ptr[N] = number of edges
     * @param parent parent of each edge, {@code parent[k] < i} for k ∈ [ptr[i], ptr[i+1])
     * @param op     the smoothed max (copied, so the instance owns its scratch space)
     * @throws IllegalArgumentException if the graph is malformed or a node ≥ 1 has no parent
     */
    public DagDp(int[] ptr, int[] parent, SmoothedMax op) {
        if (ptr == null || parent == null || op == null) {
            throw new IllegalArgumentException("ptr, parent and op must not be null");
        }
        if (ptr.length < 2) {
            throw new IllegalArgumentException("ptr must have length N+1 with N >= 1, got length " + ptr.length);
        }
        this.n = ptr.length - 1;
        this.m = parent.length;
        if (ptr[0] != 0 || ptr[1] != 0) {
            throw new IllegalArgumentException("node 0 is the start and has no incoming edges: need ptr[0] = ptr[1]"
                    + " = 0, got " + ptr[0] + ", " + ptr[1]);
        }
        if (ptr[n] != m) {
            throw new IllegalArgumentException("ptr[N] = " + ptr[n] + " must equal the number of edges " + m);
        }
        int maxDeg = 1;
        for (int i = 1; i < n; i++) {
            int deg = ptr[i + 1] - ptr[i];
            if (deg < 1) {
                throw new IllegalArgumentException("node " + i + " has no parent (ptr[" + i + "] = " + ptr[i]
                        + ", ptr[" + (i + 1) + "] = " + ptr[i + 1] + ")");
            }
            maxDeg = Math.max(maxDeg, deg);
            for (int k = ptr[i]; k < ptr[i + 1]; k++) {
                if (parent[k] < 0 || parent[k] >= i) {
                    throw new IllegalArgumentException("edge " + k + " into node " + i + " has parent " + parent[k]
                            + "; parents must satisfy 0 <= parent < child (topological order)");
                }
            }
        }
        this.ptr = ptr.clone();
        this.parent = parent.clone();
        this.op = op.copy();
        this.v = new double[n];
        this.vDot = new double[n];
        this.eBar = new double[n];
        this.eBarDot = new double[n];
        this.q = new double[m];
        this.qDot = new double[m];
        this.buf = new double[maxDeg];
    }

    /** Number of nodes N. */
    public int numNodes() {
        return n;
    }

    /** Number of edges |E| (the length of θ). */
    public int numEdges() {
        return m;
    }

    /** DP_Ω(θ) = v_{N−1}, or -∞ if the end is unreachable. */
    public double value(double[] theta) {
        return forward(theta);
    }

    /**
     * DP_Ω(θ) and its gradient ∇DP_Ω(θ) (the expected path: edge marginals in [0, 1]) written into {@code grad}.
     *
     * @return the value, -∞ (with an all-zero gradient) if the end is unreachable
     */
    public double gradient(double[] theta, double[] grad) {
        checkLength("grad", grad);
        double val = forward(theta);
        backward(grad);
        return val;
    }

    /**
     * DP_Ω(θ), its gradient written into {@code grad}, and the Hessian-vector product ∇²DP_Ω(θ)·z written into
     * {@code hz}, in O(|E|) (forward directional derivative, then the differentiated backward recursion).
     *
     * @return the value
     */
    public double hvp(double[] theta, double[] z, double[] grad, double[] hz) {
        checkLength("z", z);
        checkLength("grad", grad);
        checkLength("hz", hz);
        double val = forward(theta);
        // forward: v̇_i = Σ_k q_k (z_k + v̇_parent), q̇_i = H_i (z + v̇_P)
        vDot[0] = 0;
        for (int i = 1; i < n; i++) {
            int lo = ptr[i];
            int deg = ptr[i + 1] - lo;
            double s = 0;
            for (int k = lo, r = 0; r < deg; k++, r++) {
                double u = z[k] + vDot[parent[k]];
                buf[r] = u;
                s += q[k] * u;
            }
            vDot[i] = s;
            op.hvp(q, lo, deg, buf, 0, qDot, lo);
        }
        // backward: e_k = ē_child q_k, ė_k = ē̇_child q_k + ē_child q̇_k
        Arrays.fill(eBar, 0.0);
        Arrays.fill(eBarDot, 0.0);
        eBar[n - 1] = 1;
        for (int i = n - 1; i >= 1; i--) {
            double eb = eBar[i];
            double ebd = eBarDot[i];
            for (int k = ptr[i]; k < ptr[i + 1]; k++) {
                double e = eb * q[k];
                double ed = ebd * q[k] + eb * qDot[k];
                grad[k] = e;
                hz[k] = ed;
                eBar[parent[k]] += e;
                eBarDot[parent[k]] += ed;
            }
        }
        return val;
    }

    private double forward(double[] theta) {
        checkLength("theta", theta);
        v[0] = 0;
        for (int i = 1; i < n; i++) {
            int lo = ptr[i];
            int deg = ptr[i + 1] - lo;
            for (int k = lo, r = 0; r < deg; k++, r++) {
                double t = theta[k];
                if (!(t < Double.POSITIVE_INFINITY)) {
                    throw DpChecks.badScore("theta", k, t);
                }
                buf[r] = t + v[parent[k]];
            }
            v[i] = op.max(buf, 0, deg, q, lo);
        }
        return v[n - 1];
    }

    private void backward(double[] grad) {
        Arrays.fill(eBar, 0.0);
        eBar[n - 1] = 1;
        for (int i = n - 1; i >= 1; i--) {
            double eb = eBar[i];
            for (int k = ptr[i]; k < ptr[i + 1]; k++) {
                double e = eb * q[k];
                grad[k] = e;
                eBar[parent[k]] += e;
            }
        }
    }

    private void checkLength(String name, double[] a) {
        if (a.length != m) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", expected |E| = " + m);
        }
    }
}
