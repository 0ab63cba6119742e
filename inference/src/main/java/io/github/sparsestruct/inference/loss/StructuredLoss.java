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

    /**
     * The loss against a soft target: a point μ = (μ_u, μ_v) of the marginal polytope, such as a teacher model's
     * marginals, or a mix of a gold structure's indicators and them (a Fenchel-Young loss accepts any point of the
     * polytope as its target). Gradient: prediction − μ. With a structure's indicators as μ the value and gradient
     * equal {@link #loss}'s. Implemented by the CRF, SparseMAP (without cost augmentation) and DP-Ω losses.
     *
     * @param targetU μ_u, in the layout of the unary scores
     * @param targetV μ_v, in the layout of the additional scores (null where the structure has none)
     * @throws IllegalArgumentException on NaN scores or targets, wrong lengths, or target mass on a −∞ score
     * @throws UnsupportedOperationException for a loss with no soft-target form (the perceptron; cost-augmented
     *                                       losses, whose cost is defined for structures)
     */
    default double softLoss(double[] etaU, double[] etaV, double[] targetU, double[] targetV, double[] gradU,
                            double[] gradV) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no soft-target form");
    }
}
