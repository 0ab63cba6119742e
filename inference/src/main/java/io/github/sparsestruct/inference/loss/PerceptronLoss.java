package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;

/**
 * Structured perceptron ℓ = max_y ⟨η, y⟩ − ⟨η, y_true⟩ (Collins 2002) and, with {@code costAugmented}, the
 * structured hinge ℓ = max_y [⟨η, y⟩ + Δ(y_true, y)] − ⟨η, y_true⟩ with the Hamming cost Δ on the unary part
 * (Tsochantaridis et al. 2005). Gradient: (cost-augmented) MAP − target.
 */
public final class PerceptronLoss implements StructuredLoss {
    private final StructuredPolytope polytope;
    private final boolean costAugmented;

    /** The perceptron (false) or the Hamming-cost structured hinge (true) over a polytope. */
    public PerceptronLoss(StructuredPolytope polytope, boolean costAugmented) {
        this.polytope = polytope;
        this.costAugmented = costAugmented;
    }

    @Override
    public double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV) {
        Losses.checkNaN(etaU, "unary");
        Losses.checkNaN(etaV, "additional");
        double[] scores = costAugmented ? Losses.hammingAugmented(etaU, target) : etaU;
        Structure best = polytope.argmax(scores, etaV);
        if (best == null) {
            throw new IllegalArgumentException("no feasible structure: every structure scores -Infinity");
        }
        double top = best.score(scores, etaV);
        Losses.setIndicator(best, gradU, gradV);
        double t = Losses.subtractTarget(target, etaU, etaV, gradU, gradV);
        return Math.max(0.0, top - t);
    }
}
