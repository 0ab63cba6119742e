package io.github.sparsestruct.inference.sparsemap;

import java.util.List;

/**
 * Solves SparseMAP, max over conv(Y) of ⟨η_u, u⟩ + ⟨η_v, v⟩ − (γ/2)‖u‖², using only the polytope's MAP oracle.
 * Implementations: {@link ActiveSetSolver} (exact, with a backward pass) and {@link FrankWolfeSolver}
 * (vanilla, away-step, pairwise). Solvers hold no state between calls and are thread-safe; the polytope is not.
 */
public interface SparseMapSolver {
    /** Solves from a cold start (the MAP structure). */
    default SparseMapResult solve(StructuredPolytope polytope, double[] etaU, double[] etaV) {
        return solve(polytope, etaU, etaV, null, null);
    }

    /**
     * Solves from a warm start.
     *
     * @param warmSupport structures to start from (null or empty: cold start)
     * @param warmWeights their weights (null: uniform); normalised to sum to 1
     * @throws IllegalArgumentException on NaN or +∞ scores, wrong lengths, or when every structure scores −∞
     */
    SparseMapResult solve(StructuredPolytope polytope, double[] etaU, double[] etaV,
                          List<Structure> warmSupport, double[] warmWeights);
}
