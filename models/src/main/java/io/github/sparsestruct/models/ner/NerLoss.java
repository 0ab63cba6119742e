package io.github.sparsestruct.models.ner;

/** Training loss of the NER model, all computed by the inference module on the potentials θ. */
public enum NerLoss {
    /** Linear-chain CRF, ℓ_{0,−H} (log-likelihood). */
    CRF,
    /** SparseMAP loss over tag sequences (Fenchel-Young, Ω = ½‖u‖² on the marginal polytope). */
    SPARSEMAP,
    /** The DP-Ω surrogate ℓ_{0,Ω} with Ω = ½‖·‖² applied at every Viterbi node (Vit_ℓ2). */
    DP_L2
}
