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
     *
     * @param etaU unary scores, length {@link #unaryDim()}; -∞ forbids a part
     * @param etaV additional scores, length {@link #extraDim()} (may be null when {@code extraDim() == 0})
     */
    Structure argmax(double[] etaU, double[] etaV);

    /**
     * Whether every structure has the same number of unary ones (true for tag sequences, trees and matchings; not
     * for alignment paths, where one path's cells can strictly contain another's). {@link KBest} relies on it.
     */
    default boolean constantSize() {
        return true;
    }
}
