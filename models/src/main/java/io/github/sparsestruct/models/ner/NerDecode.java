package io.github.sparsestruct.models.ner;

/**
 * How the NER model decodes the potentials of a sentence. Every mode returns the MAP tag sequence (BIO-legal) as the
 * best tags unless said otherwise, plus per-token tag marginals.
 */
public enum NerDecode {
    /** Viterbi MAP; marginals are the one-hot MAP sequence. */
    MAP,
    /** CRF marginals (forward-backward, Vit with Ω = −H) next to the MAP sequence. */
    MARGINALS,
    /** SparseMAP: a few weighted tag sequences (best = the heaviest) and their averaged marginals. */
    SPARSEMAP,
    /** The expected path of Vit_Ω with Ω = ½‖·‖² (sparse marginals) next to the MAP sequence. */
    DP_L2
}
