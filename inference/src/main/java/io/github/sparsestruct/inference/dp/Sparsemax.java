package io.github.sparsestruct.inference.dp;

/**
 * Sort-free, allocation-free max_Ω for Ω = (γ/2)‖·‖² on the few entries of one DP node (S tags of Vit_Ω, the three
 * predecessors of DTW_Ω), used by the kernels instead of the sort-based {@code SquaredL2Max}.
 *
 * <p>The threshold τ of sparsemax(z), z = (x − max x)/γ, is the root of f(τ) = Σ max(z_i − τ, 0) − 1, a convex,
 * decreasing, piecewise linear function. Newton's method from a point left of the root stays left of it and stops at
 * the root once the set {z_i > τ} no longer shrinks: this is Michelot's iteration (1986; Condat 2016, "Fast
 * projection onto the simplex and the l1 ball", §3), τ ← (Σ_{z_i > τ} z_i − 1)/#{z_i > τ}. It starts at τ = −1 ≤ τ*
 * (the largest z is 0 and Σ p = 1), which already leaves out every entry below max − γ. The fixed point is the
 * projection's threshold — the same support and τ as the sort-based rule k = max{k : 1 + k z_(k) > Σ_{r≤k} z_(r)},
 * up to the order of the sums. Each pass is a branch-free sweep (max and a sign bit, no data-dependent branch);
 * random inputs need two or three passes.
 */
final class Sparsemax {
    private Sparsemax() {
    }

    /**
     * max_Ω of {@code x[off..off+n)} with its argmax p written over x (in place). Requires {@code mx}, the maximum of
     * the entries, finite; −∞ entries get p = 0.
     *
     * @return ⟨p, x⟩ − (γ/2)‖p‖² = mx + γ(⟨p, z⟩ − ‖p‖²/2) = mx + γ(τ + ‖p‖²/2)
     */
    static double maxInPlace(double[] x, int off, int n, double mx, double gamma, double invGamma) {
        int end = off + n;
        // first pass at τ = −1: z into x, f(−1) + 1 and #{z > −1}; the maximum (z = 0) always counts
        double s = 0;
        int cnt = 0;
        for (int i = off; i < end; i++) {
            double z = (x[i] - mx) * invGamma; // −∞ for a masked entry: never counted
            x[i] = z;
            s += Math.max(z + 1.0, 0.0);
            cnt += (int) (Double.doubleToRawLongBits(-1.0 - z) >>> 63); // 1 iff z > −1
        }
        double tau = -1.0 + (s - 1) / cnt;
        while (true) {
            s = 0;
            int c = 0;
            for (int i = off; i < end; i++) {
                double z = x[i];
                s += Math.max(z - tau, 0.0);
                c += (int) (Double.doubleToRawLongBits(tau - z) >>> 63); // 1 iff z > τ (τ − z = +0 when equal)
            }
            tau += (s - 1) / c;
            if (c >= cnt) {
                break; // the support did not shrink: τ is the root (≥ only guards against rounding)
            }
            cnt = c;
        }
        double sq = 0;
        for (int i = off; i < end; i++) {
            double p = Math.max(x[i] - tau, 0.0);
            sq += p * p;
            x[i] = p;
        }
        // ⟨p, z⟩ = Σ p (p + τ) = ‖p‖² + τ on the support (Σ p = 1), so ⟨p, z⟩ − ‖p‖²/2 = τ + ‖p‖²/2
        return mx + gamma * (tau + 0.5 * sq);
    }
}
