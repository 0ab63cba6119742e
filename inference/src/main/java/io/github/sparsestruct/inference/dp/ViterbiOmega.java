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
    /** Negentropy only: 1/Σ of node (t, i)'s unnormalised weights in q (0 for a node with every input −∞). */
    private double[] scale;
    /** Negentropy only: σ ≥ 1 of node (t, i), whose value is v[cell] + γ·log σ (see forwardNegEntropy). */
    private double[] sig;
    private double[] vDot;
    private double[] qDot;
    private double[] eBar;
    private double[] eBarDot;
    private final double[] qEnd;
    private final double[] qDotEnd;
    private final double[] buf;
    private final double[] qn;
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
        this.qn = new double[s];
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
        // forward directional derivative v̇ and local Hessian products q̇ = H (z + v̇_prev); with negentropy q holds
        // unnormalised weights, normalised per node into qn (the local distribution)
        for (int i = 0; i < s; i++) {
            vDot[i] = z[zOff + i * s];
        }
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            for (int i = 0; i < s; i++) {
                int cell = t * s + i;
                int base = cell * s;
                double[] qs = q;
                int qb = base;
                if (negEntropy) {
                    double sc = scale[cell];
                    for (int j = 0; j < s; j++) {
                        qn[j] = q[base + j] * sc;
                    }
                    qs = qn;
                    qb = 0;
                }
                double acc = 0;
                for (int j = 0; j < s; j++) {
                    double u = z[zOff + base + j] + vDot[prev + j];
                    buf[j] = u;
                    acc += qs[qb + j] * u;
                }
                vDot[cell] = acc;
                op.hvp(qs, qb, s, buf, 0, qDot, base);
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
                // as in backward(): negentropy folds the node's 1/σ into ē (the same products, bit for bit)
                double ebs = negEntropy ? eb * scale[cell] : eb;
                double ebds = negEntropy ? ebd * scale[cell] : ebd;
                for (int j = 0; j < s; j++) {
                    double e = ebs * q[base + j];
                    double ed = ebds * q[base + j] + eb * qDot[base + j];
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

    /**
     * Forward pass for Ω = γ·negentropy, without a log per node: node (t, i)'s value is kept as
     * V = m + γ·log σ with m in {@code v} and σ ≥ 1 in {@code sig}. With M = max_j (θ_ij + m_j), the weight of parent
     * j is e^{(θ_ij + V_j − M − γ log σ_i)/γ} = e^{(θ_ij + m_j − M)/γ}·σ_j / σ_i where σ_i = Σ_j e^{(θ_ij + m_j − M)/γ}·σ_j
     * (≥ 1: the maximal j contributes σ_j ≥ 1), so each node costs one max, S exponentials and S products; logs are
     * taken only at the last position (and when σ passes 2^200, folded into m). q keeps the unnormalised weights
     * e^{…}·σ_j and {@code scale[cell]} = 1/σ_i, which the backward pass folds into the node's ē (one
     * multiplication per node instead of S). Nodes go in pairs (i, i+1): two independent chains in flight.
     * The HVP normalises q node by node where it needs the local distributions themselves.
     */
    private void forwardNegEntropy(double[] theta, int off, int len) {
        final double[] v = this.v;
        final double[] q = this.q;
        final double[] sig = this.sig;
        final double[] scale = this.scale;
        final int s = this.s;
        final double ig = invGamma;
        for (int i = 0; i < s; i++) {
            sig[i] = 1.0;
        }
        for (int t = 1; t < len; t++) {
            int prev = (t - 1) * s;
            int i = 0;
            for (; i + 1 < s; i += 2) {
                int cell = t * s + i;
                int base = cell * s;
                int base2 = base + s;
                int tb = off + base;
                int tb2 = tb + s;
                double mx = Double.NEGATIVE_INFINITY;
                double mx2 = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double th = theta[tb + j];
                    double th2 = theta[tb2 + j];
                    if (!(th < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", tb + j, th);
                    }
                    if (!(th2 < Double.POSITIVE_INFINITY)) {
                        throw DpChecks.badScore("theta", tb2 + j, th2);
                    }
                    double vj = v[prev + j];
                    double x = th + vj;
                    double x2 = th2 + vj;
                    q[base + j] = x;
                    q[base2 + j] = x2;
                    if (x > mx) {
                        mx = x;
                    }
                    if (x2 > mx2) {
                        mx2 = x2;
                    }
                }
                if (mx == Double.NEGATIVE_INFINITY || mx2 == Double.NEGATIVE_INFINITY) {
                    negEntropyNode(cell, base, prev, mx, ig);
                    negEntropyNode(cell + 1, base2, prev, mx2, ig);
                    continue;
                }
                double sum = 0;
                double sum2 = 0;
                for (int j = 0; j < s; j++) {
                    double sj = sig[prev + j];
                    double e = ExpLog.expNonPositiveKnown((q[base + j] - mx) * ig) * sj;
                    double e2 = ExpLog.expNonPositiveKnown((q[base2 + j] - mx2) * ig) * sj;
                    q[base + j] = e;
                    q[base2 + j] = e2;
                    sum += e;
                    sum2 += e2;
                }
                finishNode(cell, mx, sum);
                finishNode(cell + 1, mx2, sum2);
            }
            for (; i < s; i++) {
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
                negEntropyNode(cell, base, prev, mx, ig);
            }
        }
        int last = (len - 1) * s;
        for (int i = 0; i < s; i++) {
            double m = v[last + i];
            if (m != Double.NEGATIVE_INFINITY) {
                v[last + i] = m + gamma * Math.log(sig[last + i]);
            }
        }
    }

    /** One node of {@link #forwardNegEntropy} whose inputs θ_ij + m_j are in q[base..base+S), max mx (maybe −∞). */
    private void negEntropyNode(int cell, int base, int prev, double mx, double ig) {
        final double[] q = this.q;
        if (mx == Double.NEGATIVE_INFINITY) {
            Arrays.fill(q, base, base + s, 0.0);
            scale[cell] = 0.0;
            sig[cell] = 1.0;
            v[cell] = mx;
            return;
        }
        double sum = 0;
        for (int j = 0; j < s; j++) {
            double e = ExpLog.expNonPositiveKnown((q[base + j] - mx) * ig) * sig[prev + j];
            q[base + j] = e;
            sum += e;
        }
        finishNode(cell, mx, sum);
    }

    /** Stores node (t, i)'s m, σ and 1/σ; folds σ into m once it passes 2^200 (σ ≥ 1 always). */
    private void finishNode(int cell, double mx, double sum) {
        scale[cell] = 1.0 / sum;
        if (sum < 0x1p200) {
            v[cell] = mx;
            sig[cell] = sum;
        } else {
            v[cell] = mx + gamma * Math.log(sum);
            sig[cell] = 1.0;
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
                double eb = negEntropy ? eBar[cell] * scale[cell] : eBar[cell];
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
        scale = new double[t * s];
        sig = new double[t * s];
        qDot = new double[t * s * s];
        back = new int[t * s];
    }
}
