package io.github.sparsestruct.models.depparse;

/** Training loss of the parser's arc scores (non-projective trees with a single root word). */
public enum ArcLoss {
    /** SparseMAP loss over trees (active set with the maximum-arborescence oracle). */
    SPARSEMAP,
    /** Tree CRF by the matrix-tree theorem (log-likelihood). */
    CRF,
    /** Structured hinge: cost-augmented MAP with the Hamming cost on arcs. */
    HINGE
}
