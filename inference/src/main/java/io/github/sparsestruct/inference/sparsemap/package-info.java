/**
 * SparseMAP: sparse, differentiable structured prediction with only a MAP oracle (Niculae, Martins, Blondel,
 * Cardie, ICML 2018). {@link io.github.sparsestruct.inference.sparsemap.ActiveSetSolver} is the default solver;
 * polytopes for chains, trees, matchings and alignments are in {@code ...inference.polytope}.
 */
package io.github.sparsestruct.inference.sparsemap;
