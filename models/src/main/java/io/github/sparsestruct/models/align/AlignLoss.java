package io.github.sparsestruct.models.align;

/** Training loss of the alignment model. */
public enum AlignLoss {
    /** The SparseMAP Fenchel-Young loss (both decoders). */
    SPARSEMAP,
    /** The DP surrogate ℓ_Ω with Ω = ½‖·‖² on Vit_Ω (sequential decoder only: matchings have no DP). */
    DP_L2
}
