package io.github.sparsestruct.inference.smooth;

/**
 * A smoothed max operator max_Ω(x) = max_{p ∈ Δ} ⟨p, x⟩ − Ω(p) over a slice of a vector (Mensch &amp; Blondel 2018,
 * §2.1), together with its gradient ∇max_Ω(x) ∈ Δ and its Hessian-vector product.
 *
 * <p>The negentropy and Tsallis regularisers vanish on the vertices of the simplex, so their max_Ω of a single entry
 * is that entry; the squared norm (γ/2)‖p‖² does not (a single entry gives x − γ/2). In all cases the gradient of a
 * single entry is 1 and max(x) − max Ω ≤ max_Ω(x) ≤ max(x) − min Ω over the simplex.
 *
 * <p>Input rules, shared by every implementation: -∞ entries are allowed, get weight exactly 0 and are skipped; if
 * every entry is -∞ the value is -∞ and the gradient is all zeros. NaN and +∞ entries are rejected with an
 * {@link IllegalArgumentException} (a +∞ score would make the value infinite and the gradient undefined).
 *
 * <p>Implementations may keep a small scratch buffer, grown on demand, so that {@link #max} does not allocate on the
 * hot path: instances are not thread-safe. Use one instance per thread, obtained with {@link #copy()}.
 */
public interface SmoothedMax {
    /**
     * Computes max_Ω(x[off..off+len)) and writes its gradient, a distribution over the {@code len} entries, into
     * {@code p[pOff..pOff+len)}. The ranges of {@code x} and {@code p} must not overlap.
     *
     * @return the smoothed max, or -∞ when every entry is -∞ (the gradient is then all zeros)
     * @throws IllegalArgumentException if an entry is NaN or +∞, or if {@code len < 1}
     */
    double max(double[] x, int off, int len, double[] p, int pOff);

    /**
     * Hessian-vector product ∇²max_Ω(x)·z, given {@code p = ∇max_Ω(x)} as written by {@link #max} (x itself is not
     * needed). Writes {@code out[outOff..outOff+len)}, which may not alias {@code z}.
     */
    void hvp(double[] p, int pOff, int len, double[] z, int zOff, double[] out, int outOff);

    /** The smoothing strength γ (0 for {@link #hard()}). */
    double gamma();

    /**
     * An independent instance with the same regulariser and its own scratch space (stateless operators may return
     * {@code this}).
     */
    SmoothedMax copy();

    /** Ω = γ·Σ p log p: value γ·logsumexp(x/γ), gradient softmax(x/γ). */
    static SmoothedMax negEntropy(double gamma) {
        return new NegEntropyMax(gamma);
    }

    /**
     * Ω = (γ/2)‖p‖² (as in the papers; one entry x gives x − γ/2): gradient sparsemax(x/γ), the Euclidean
     * projection of x/γ onto the simplex.
     */
    static SmoothedMax squaredL2(double gamma) {
        return new SquaredL2Max(gamma);
    }

    /** Ω = γ·(Σ p^{3/2} − 1)/0.75, the Tsallis α = 1.5 regulariser: gradient entmax15(x/γ). */
    static SmoothedMax entmax15(double gamma) {
        return new Entmax15Max(gamma);
    }

    /** The unsmoothed max (γ = 0): gradient one-hot on the first maximal entry, Hessian 0. */
    static SmoothedMax hard() {
        return HardMax.INSTANCE;
    }
}
