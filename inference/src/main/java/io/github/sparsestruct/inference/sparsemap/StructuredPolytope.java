package io.github.sparsestruct.inference.sparsemap;

/**
 * A finite set of structures Y seen as the vertices of its marginal polytope conv{(u_y, v_y)}, reached only through
 * a MAP oracle. The unary part u (length {@link #unaryDim()}) is what SparseMAP regularises; the additional part v
 * (length {@link #extraDim()}, e.g. transitions of a chain) stays linear.
 *
 * <p>Implementations own a workspace and are not thread-safe: use one instance per thread.
 */
public interface StructuredPolytope {
    /** Length of the unary score / marginal vector. */
    int unaryDim();

    /** Length of the additional score / marginal vector (0 when there is none). */
    int extraDim();

    /**
     * MAP oracle: a structure maximising ⟨etaU, u⟩ + ⟨etaV, v⟩, or {@code null} when every structure scores -∞.
     * Implementations only read {@code etaU} and {@code etaV}, and keep no reference to them after returning.
     *
     * @param etaU unary scores, length {@link #unaryDim()}; -∞ forbids a part
     * @param etaV additional scores, length {@link #extraDim()} (may be null when {@code extraDim() == 0})
     */
    Structure argmax(double[] etaU, double[] etaV);

    /**
     * {@link #argmax} for scores the caller has already validated (every entry finite or −∞, lengths right), as the
     * solvers do once per solve: implementations may skip their per-call input checks. The result must be the same
     * as {@link #argmax}'s. Default: {@link #argmax}.
     *
     * <p>The caller must have validated the scores: with NaN, +∞ or wrong lengths the result is undefined (a wrong
     * structure, no exception). Only the SparseMAP solvers call it, on the scores they checked at the start of the
     * solve (and gradients η_u − u built from them); everything else should call {@link #argmax}.
     */
    default Structure argmaxValidated(double[] etaU, double[] etaV) {
        return argmax(etaU, etaV);
    }

    /**
     * ⟨u_a, u_b⟩ for two structures of this polytope; implementations may compute it from the compact codes (a
     * chain's T tags, a tree's n heads) instead of merging the index lists. Default:
     * {@link Structure#unaryOverlap}.
     */
    default int unaryOverlap(Structure a, Structure b) {
        return a.unaryOverlap(b);
    }

    /**
     * Whether every structure has the same number of unary ones (true for tag sequences, trees and matchings; not
     * for alignment paths, where one path's cells can strictly contain another's). {@link KBest} relies on it.
     */
    default boolean constantSize() {
        return true;
    }
}
