package io.github.sparsestruct.inference.sparsemap;

import java.util.List;

/**
 * The solution of a SparseMAP problem max over conv(Y) of ⟨η_u, u⟩ + ⟨η_v, v⟩ − (γ/2)‖u‖²: a sparse distribution
 * over structures ({@link #support()} with {@link #weights()} summing to 1), its unary and additional marginals, and
 * the solver's bookkeeping.
 *
 * @param support     the structures with non-zero weight
 * @param weights     their weights, non-negative, summing to 1, in the order of {@code support}
 * @param u           unary marginals Σ_i w_i u_i (length unaryDim)
 * @param v           additional marginals Σ_i w_i v_i (length extraDim)
 * @param objective   the maximised objective ⟨η_u, u⟩ + ⟨η_v, v⟩ − (γ/2)‖u‖²
 * @param iterations  solver iterations (oracle calls for the active set method)
 * @param gap         the final Frank-Wolfe duality gap (an upper bound on the objective's sub-optimality)
 * @param converged   whether the gap fell below the tolerance before the iteration limit
 * @param backward    Jacobian products through the solution, or null when the solver did not compute them
 */
public record SparseMapResult(List<Structure> support, double[] weights, double[] u, double[] v, double objective,
                              int iterations, double gap, boolean converged, SparseMapBackward backward) {
}
