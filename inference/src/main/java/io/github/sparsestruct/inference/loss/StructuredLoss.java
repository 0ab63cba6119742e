package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.sparsemap.Structure;

/**
 * A structured loss ℓ(η; y) of scores η = (η_u, η_v) against a target structure y, with its gradient with respect
 * to the scores. For the Fenchel-Young losses here the gradient is prediction − target, where the prediction is
 * the loss's own decoding (MAP, cost-augmented MAP, SparseMAP, CRF marginals). Implementations own workspaces:
 * use one per thread.
 */
public interface StructuredLoss {
    /**
     * The loss value; writes ∂ℓ/∂η_u into {@code gradU} and ∂ℓ/∂η_v into {@code gradV} (which may be null when the
     * structure has no additional part).
     *
     * @throws IllegalArgumentException on NaN scores, wrong lengths, or a target whose score is −∞
     */
    double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV);
}
