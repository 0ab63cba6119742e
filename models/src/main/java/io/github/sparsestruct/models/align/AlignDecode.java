package io.github.sparsestruct.models.align;

/** How alignments are decoded. */
public enum AlignDecode {
    /** The single best alignment. */
    MAP,
    /** SparseMAP: a sparse mixture of alignments with weights, and its link marginals. */
    SPARSEMAP,
    /**
     * Dense marginals: forward-backward (Vit with negentropy) for the sequential decoder; for matchings, the
     * entropy-regularised relaxation (Sinkhorn on the null-padded square matrix), whose link marginals are dense.
     */
    MARGINALS
}
