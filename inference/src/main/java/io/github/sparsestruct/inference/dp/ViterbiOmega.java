package io.github.sparsestruct.inference.dp;

import io.github.sparsestruct.inference.smooth.NegEntropyMax;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.smooth.SquaredL2Max;
import java.util.Arrays;

/**
 * Vit_Ω, DP_Ω specialised to the linear-chain trellis (Mensch &amp; Blondel 2018, §3.1, App. B.2): smoothed Viterbi
 * value, expected transitions (gradient), Hessian-vector products, and hard Viterbi decoding with backtracking.
 *
 * <p>Layout: θ ∈ R^{T×S×S} row-major, {@code theta[off + (t*S + i)*S + j]} is the score of tag i at position t coming
 * from tag j at t−1. At t = 0 only column j = 0 is read (the single start state); the other entries of t = 0 are
 * ignored and get gradient 0. Recursion: V[0][i] = max_Ω(θ[0][i][0]) (one parent: θ[0][i][0] itself, minus γ/2 for
 * (γ/2)‖·‖²), V[t][i] = max_Ω_j (θ[t][i][j] + V[t−1][j]), value max_Ω_i V[T−1][i]. This is DP_Ω on the trellis
 * start → (0, i) → … → (T−1, i) → end with 0-weight end edges, with the operator applied at every node.
 *
 * <p>Gradients have θ's layout and are overwritten; the unary marginal of (t, i) is Σ_j grad[t][i][j]. -∞ scores are
 * allowed (masked transitions); when every path scores -∞ the value is -∞ and the gradient is all zeros. NaN and +∞
 * scores are rejected. The local distributions are kept in a workspace sized for the longest sentence seen (grown on
 * demand), so the passes do not allocate. Instances are not thread-safe: use one per thread.
 */
public final class ViterbiOmega {
    private final SmoothedMax op;
    /**
     * max_Ω of a single entry 0: what the operator adds at a node with one parent (the first position of a chain,
     * the first cell of an alignment). 0 for the entropic operators and the hard max, −γ/2 for (γ/2)‖·‖².
     */
    private final double startOffset;
    private final int s;
    private final boolean negEntropy;
    private final boolean squaredL2;
    private final double gamma;
    private final double invGamma;
    private int cap;
    private double[] v;
    private double[] q;
    private double[] vDot;
    private double[] qDot;
    private double[] eBar;
    private double[] eBarDot;
    private final double[] qEnd;
    private final double[] qDotEnd;
    private final double[] buf;
    private double[] thetaD;
    private double[] gradD;
    private int[] back;

    /**
     * @param op   the smoothed max (copied, so the instance owns its scratch space)
     * @param s    number of tags S ≥ 1
     * @param maxT initial workspace capacity in positions (grown if a longer sentence comes)
     */
    public ViterbiOmega(SmoothedMax op, int s, int maxT) {
        if (op == null) {
            throw new IllegalArgumentException("op must not be null");
        }
        if (s < 1 || maxT < 1) {
            throw new IllegalArgumentException("need S >= 1 and maxT >= 1, got S = " + s + ", maxT = " + maxT);
        }
        this.op = op.copy();
        this.s = s;
        this.negEntropy = op instanceof NegEntropyMax;
        this.squaredL2 = op instanceof SquaredL2Max;
        this.startOffset = this.op.max(new double[] {0.0}, 0, 1, new double[1], 0);
        this.gamma = op.gamma();
        this.invGamma = negEntropy || squaredL2 ? 1.0 / gamma : 0;
        this.qEnd = new double[s];
        this.qDotEnd = new double[s];
        this.buf = new double[s];
        this.thetaD = new double[0];
        this.gradD = new double[0];
        allocate(maxT);
    }

    /** Number of tags S. */
    public int numTags() {
        return s;
    }

    /** Vit_Ω(θ) for the sentence of length T ≥ 1 starting at {@code off}. */
    public double value(double[] theta, int off, int len) {
        checkTheta(theta, off, len);
        return forward(theta, off, len);
    }

    /**
     * Vit_Ω(θ) and its gradient (expected transition tensor, same layout as θ) written into
     * {@code grad[gOff..gOff+T·S·S)}.
     *
     * @return the value, -∞ (with an all-zero gradient) if every path scores -∞
     */
    public double gradient(double[] theta, int off, int len, double[] grad, int gOff) {
        checkTheta(theta, off, len);
        DpChecks.checkRange("grad", grad.length, gOff, (long) len * s * s);
        double val = forward(theta, off, len);
        backward(len, grad, gOff);
        return val;
    }

    /**
     * Vit_Ω(θ), its gradient into {@code grad} and the Hessian-vector product ∇²Vit_Ω(θ)·z into {@code hz}, all with
     * θ's layout; entries of z at t = 0, j ≠ 0 are ignored.
     *
     * @return the value
     */
    public double hvp(double[] theta, int off, int len, double[] z, int zOff, double[] grad, int gOff, double[] hz,
            int hOff) {
        checkTheta(theta, off, len);
        long size = (long) len * s * s;
        DpChecks.checkRange("z", z.length, zOff, size);
        DpChecks.checkRange("grad", grad.length, gOff, size);
        DpChecks.checkRange("hz", hz.length, hOff, size);
        double val = forward(theta, off, len);
        int ss = s * s;
        // forward directional derivative v̇ and local Hessian products q̇ = H (z + v̇_prev)
        for (int i = 0; i < s; i++) {
            vDot[i] = z[zOff + i * s];
        }
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                double acc = 0;
                for (int j = 0; j < s; j++) {
                    double u = z[zOff + base + j] + vDot[prev + j];
                    buf[j] = u;
                    acc += q[base + j] * u;
                }
                vDot[cell] = acc;
                op.hvp(q, base, s, buf, 0, qDot, base);
            }
        }
        int last = (len - 1) * s;
        op.hvp(qEnd, 0, s, vDot, last, qDotEnd, 0);
        // backward: ė = ē̇_child q + ē_child q̇
        for (int i = 0; i < s; i++) {
            eBar[last + i] = qEnd[i];
            eBarDot[last + i] = qDotEnd[i];
        }
        Arrays.fill(eBar, 0, last, 0.0);
        Arrays.fill(eBarDot, 0, last, 0.0);
        for (int t = len - 1; t >= 1; t--) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                double eb = eBar[cell];
                double ebd = eBarDot[cell];
                for (int j = 0; j < s; j++) {
                    double e = eb * q[base + j];
                    double ed = ebd * q[base + j] + eb * qDot[base + j];
                    grad[gOff + base + j] = e;
                    hz[hOff + base + j] = ed;
                    eBar[prev + j] += e;
                    eBarDot[prev + j] += ed;
                }
            }
        }
        for (int i = 0; i < s; i++) {
            int base = i * s;
            Arrays.fill(grad, gOff + base, gOff + base + s, 0.0);
            Arrays.fill(hz, hOff + base, hOff + base + s, 0.0);
            grad[gOff + base] = eBar[i];
            hz[hOff + base] = eBarDot[i];
        }
        return val;
    }

    /**
     * Batched {@link #gradient}: sentence b occupies θ[offsets[b] .. offsets[b] + lengths[b]·S·S); its value goes to
     * {@code values[b]} and its gradient to the same range of {@code grad}, which is laid out like θ.
     */
    public void gradientBatch(double[] theta, int[] offsets, int[] lengths, double[] values, double[] grad) {
        checkBatch(offsets, lengths, values);
        for (int b = 0; b < offsets.length; b++) {
            values[b] = gradient(theta, offsets[b], lengths[b], grad, offsets[b]);
        }
    }

    /**
     * {@link #gradient} for single-precision scores: reads θ and writes the gradient as floats, computes in double.
     *
     * @return the value (in double precision)
     */
    public double gradient(float[] theta, int off, int len, float[] grad, int gOff) {
        checkLen(len);
        int size = len * s * s;
        DpChecks.checkRange("theta", theta.length, off, size);
        DpChecks.checkRange("grad", grad.length, gOff, size);
        if (thetaD.length < size) {
            thetaD = new double[Math.max(size, 2 * thetaD.length)];
            gradD = new double[thetaD.length];
        }
        for (int k = 0; k < size; k++) {
            thetaD[k] = theta[off + k];
        }
        double val = forward(thetaD, 0, len);
        backward(len, gradD, 0);
        for (int k = 0; k < size; k++) {
            grad[gOff + k] = (float) gradD[k];
        }
        return val;
    }

    /**
     * Batched {@link #gradient(float[], int, int, float[], int)}, laid out as in
     * {@link #gradientBatch(double[], int[], int[], double[], double[])}; values stay in double precision.
     */
    public void gradientBatch(float[] theta, int[] offsets, int[] lengths, double[] values, float[] grad) {
        checkBatch(offsets, lengths, values);
        for (int b = 0; b < offsets.length; b++) {
            values[b] = gradient(theta, offsets[b], lengths[b], grad, offsets[b]);
        }
    }

    /**
     * Hard Viterbi: the highest-scoring tag sequence, written into {@code tagsOut[0..T)}. Ties go to the first
     * maximal tag (lowest j at each backpointer, lowest i at the end).
     *
     * @return the best score, or -∞ if every path scores -∞ (tagsOut is then filled with −1)
     */
    public double decode(double[] theta, int off, int len, int[] tagsOut) {
        checkTheta(theta, off, len);
        ensure(len);
        if (tagsOut.length < len) {
            throw new IllegalArgumentException("tagsOut has length " + tagsOut.length + " < T = " + len);
        }
        for (int i = 0; i < s; i++) {
            double th = theta[off + i * s];
            if (!(th < Double.POSITIVE_INFINITY)) {
                throw DpChecks.badScore("theta", off + i * s, th);
            }
            v[i] = th;
        }
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = off + cell * s;
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int j = 0; j < s; j++) {
                    double th = theta[base + j];
                    if (!(th < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", base + j, th);
                    }
                    double x = th + v[prev + j];
                    if (x > best) {
                        best = x;
                        arg = j;
                    }
                }
                v[cell] = best;
                back[cell] = arg;
            }
        }
        int last = (len - 1) * s;
        double best = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int i = 0; i < s; i++) {
            if (v[last + i] > best) {
                best = v[last + i];
                arg = i;
            }
        }
        if (arg < 0) {
            Arrays.fill(tagsOut, 0, len, -1);
            return Double.NEGATIVE_INFINITY;
        }
        tagsOut[len - 1] = arg;
        for (int t = len - 1; t >= 1; t--) {
            arg = back[t * s + arg];
            tagsOut[t - 1] = arg;
        }
        return best;
    }

    private double forward(double[] theta, int off, int len) {
        ensure(len);
        for (int i = 0; i < s; i++) {
            double th = theta[off + i * s];
            if (!(th < Double.POSITIVE_INFINITY)) {
                throw DpChecks.badScore("theta", off + i * s, th);
            }
            v[i] = th + startOffset;
        }
        if (negEntropy) {
            forwardNegEntropy(theta, off, len);
        } else if (squaredL2) {
            forwardSquaredL2(theta, off, len);
        } else {
            forwardGeneric(theta, off, len);
        }
        return op.max(v, (len - 1) * s, s, qEnd, 0);
    }

    private void forwardGeneric(double[] theta, int off, int len) {
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                for (int j = 0; j < s; j++) {
                    double th = theta[off + base + j];
                    if (!(th < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", off + base + j, th);
                    }
                    buf[j] = th + v[prev + j];
                }
                v[cell] = op.max(buf, 0, s, q, base);
            }
        }
    }

    /**
     * Forward pass for Ω = (γ/2)‖·‖²: the node's scores go straight into q, whose sparsemax then replaces them in
     * place (sort-free, {@link Sparsemax}).
     */
    private void forwardSquaredL2(double[] theta, int off, int len) {
        final double[] v = this.v;
        final double[] q = this.q;
        final int s = this.s;
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                int tb = off + base;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double th = theta[tb + j];
                    if (!(th < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", tb + j, th);
                    }
                    double x = th + v[prev + j];
                    q[base + j] = x;
                    mx = Math.max(mx, x);
                }
                if (mx == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(q, base, base + s, 0.0);
                    v[cell] = mx;
                    continue;
                }
                v[cell] = Sparsemax.maxInPlace(q, base, s, mx, gamma, invGamma);
            }
        }
    }

    private void forwardNegEntropy(double[] theta, int off, int len) {
        final double[] v = this.v;
        final double[] q = this.q;
        final int s = this.s;
        final double ig = invGamma;
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                int tb = off + base;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double th = theta[tb + j];
                    if (!(th < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", tb + j, th);
                    }
                    double x = th + v[prev + j];
                    q[base + j] = x;
                    if (x > mx) {
                        mx = x;
                    }
                }
                if (mx == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(q, base, base + s, 0.0);
                    v[cell] = mx;
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    double e = ExpLog.expNonPositive((q[base + j] - mx) * ig);
                    q[base + j] = e;
                    sum += e;
                }
                double inv = 1.0 / sum;
                for (int j = 0; j < s; j++) {
                    q[base + j] *= inv;
                }
                v[cell] = mx + gamma * ExpLog.logAtLeastOne(sum);
            }
        }
    }

    private void backward(int len, double[] grad, int gOff) {
        int last = (len - 1) * s;
        System.arraycopy(qEnd, 0, eBar, last, s);
        Arrays.fill(eBar, 0, last, 0.0);
        for (int t = len - 1; t >= 1; t--) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                double eb = eBar[cell];
                int gb = gOff + base;
                if (eb == 0) {
                    Arrays.fill(grad, gb, gb + s, 0.0);
                    continue;
                }
                for (int j = 0; j < s; j++) {
                    double e = eb * q[base + j];
                    grad[gb + j] = e;
                    eBar[prev + j] += e;
                }
            }
        }
        for (int i = 0; i < s; i++) {
            int gb = gOff + i * s;
            Arrays.fill(grad, gb, gb + s, 0.0);
            grad[gb] = eBar[i];
        }
    }

    private void checkTheta(double[] theta, int off, int len) {
        checkLen(len);
        DpChecks.checkRange("theta", theta.length, off, (long) len * s * s);
    }

    private static void checkLen(int len) {
        if (len < 1) {
            throw new IllegalArgumentException("sentence length T must be >= 1, got " + len);
        }
    }

    private static void checkBatch(int[] offsets, int[] lengths, double[] values) {
        if (offsets.length != lengths.length || values.length < offsets.length) {
            throw new IllegalArgumentException("offsets (" + offsets.length + "), lengths (" + lengths.length
                    + ") and values (" + values.length + ") must describe the same number of sentences");
        }
    }

    private void ensure(int len) {
        if (len > cap) {
            allocate(Math.max(len, 2 * cap));
        }
    }

    private void allocate(int t) {
        cap = t;
        v = new double[t * s];
        vDot = new double[t * s];
        eBar = new double[t * s];
        eBarDot = new double[t * s];
        q = new double[t * s * s];
        qDot = new double[t * s * s];
        back = new int[t * s];
    }
}
