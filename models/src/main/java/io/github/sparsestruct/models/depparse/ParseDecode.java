package io.github.sparsestruct.models.depparse;

/** How the parser decodes the arc scores of a sentence. */
public enum ParseDecode {
    /** Maximum arborescence (single root); arc marginals are the one-hot MAP tree. */
    MAP,
    /** SparseMAP: a few weighted trees (best = the heaviest) and their averaged arcs. */
    SPARSEMAP,
    /** Arc marginals of the tree CRF (matrix-tree theorem) next to the MAP tree. */
    MARGINALS
}
