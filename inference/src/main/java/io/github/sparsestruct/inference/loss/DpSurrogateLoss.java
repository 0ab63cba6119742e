package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import io.github.sparsestruct.inference.sparsemap.Structure;

/**
 * The DP-Omega surrogate ℓ_{C,Ω}(y; θ) = DP_Ω(θ + C_y) − ⟨θ, y⟩ (DP paper §4.1), with C_y the Hamming cost
 * 1 − y on the unary part when cost-augmented and 0 otherwise. ℓ_{0,−H} is the CRF loss and ℓ_{0,0} the
 * structured perceptron. Gradient: ∇DP_Ω(θ + C_y) − y. Convex and smooth for strongly convex Ω; unlike the
 * Fenchel-Young losses it need not vanish at the prediction, and for Ω = (γ/2)‖·‖² it can dip below zero by at most
 * (T + 1)·γ/2, since max_Ω(x) ≥ max(x) − γ/2 at each of its T + 1 steps.
 *
 * <p>Two instantiations: tag sequences ({@link #sequence}, scores in {@link SequencePolytope} layouts) and
 * monotone alignments ({@link #alignment}, in the min form of DTW on costs).
 */
public final class DpSurrogateLoss implements StructuredLoss {
    private final SequencePolytope chain;
    private final ViterbiOmega vit;
    private final boolean costAugmented;
    private final double[] grad;

    private DpSurrogateLoss(SequencePolytope chain, SmoothedMax op, boolean costAugmented) {
        this.chain = chain;
        this.vit = new ViterbiOmega(op, chain.tags(), chain.length());
        this.costAugmented = costAugmented;
        this.grad = new double[chain.length() * chain.tags() * chain.tags()];
    }

    /** ℓ_{C,Ω} over tag sequences with the given smoothed max (e.g. {@code SmoothedMax.squaredL2(1)}). */
    public static DpSurrogateLoss sequence(SequencePolytope chain, SmoothedMax op, boolean costAugmented) {
        return new DpSurrogateLoss(chain, op, costAugmented);
    }

    @Override
    public double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV) {
        Losses.checkNaN(etaU, "unary");
        Losses.checkNaN(etaV, "additional");
        double[] scores = costAugmented ? Losses.hammingAugmented(etaU, target) : etaU;
        double[] theta = chain.viterbiPotentials(scores, etaV);
        double dp = vit.gradient(theta, 0, chain.length(), grad, 0);
        if (dp == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible sequence: every sequence scores -Infinity");
        }
        chain.fromViterbiGradient(grad, gradU, gradV);
        double t = Losses.subtractTarget(target, etaU, etaV, gradU, gradV);
        return dp - t;
    }

    /** DP_Ω(θ) − ⟨θ, μ⟩ against a soft target μ (not cost-augmented); gradient ∇DP_Ω(θ) − μ. */
    @Override
    public double softLoss(double[] etaU, double[] etaV, double[] targetU, double[] targetV, double[] gradU,
                           double[] gradV) {
        if (costAugmented) {
            throw new UnsupportedOperationException("the cost-augmented DP surrogate has no soft-target form: its "
                    + "cost is defined for a structure");
        }
        Losses.checkNaN(etaU, "unary");
        Losses.checkNaN(etaV, "additional");
        double[] theta = chain.viterbiPotentials(etaU, etaV);
        double dp = vit.gradient(theta, 0, chain.length(), grad, 0);
        if (dp == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible sequence: every sequence scores -Infinity");
        }
        chain.fromViterbiGradient(grad, gradU, gradV);
        return dp - Losses.subtractSoftTarget(targetU, targetV, etaU, etaV, gradU, gradV);
    }

    /**
     * ℓ_{C,Ω} for monotone alignments in min form: with costs c (lower is better) and a target path y (its cells
     * as a 0/1 matrix), ℓ = ⟨c, y⟩ − DTW_Ω(c − C_y), where C_y = 1 − y when cost-augmented (0 otherwise); the
     * gradient with respect to c is y − ∇DTW_Ω(c − C_y).
     *
     * @param op           the smoothed max defining min_Ω(x) = −max_Ω(−x)
     * @param costs        NA×NB costs, row-major
     * @param targetCells  the target path's cells i·NB + j
     * @param gradOut      receives the gradient with respect to the costs (NA×NB)
     */
    public static double alignment(SmoothedMax op, double[] costs, int na, int nb, int[] targetCells,
                                   boolean costAugmented, double[] gradOut) {
        Losses.checkNaN(costs, "cost");
        double[] c = costs;
        if (costAugmented) {
            c = new double[costs.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = costs[i] - 1.0;
            }
            for (int cell : targetCells) {
                c[cell] += 1.0;
            }
        }
        double dtw = new DtwOmega(op).gradient(c, na, nb, gradOut);
        if (dtw == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible alignment: every path has infinite cost");
        }
        double target = 0;
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] = -gradOut[i];
        }
        for (int cell : targetCells) {
            target += costs[cell];
            gradOut[cell] += 1.0;
        }
        if (target == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("the target path crosses a forbidden (infinite-cost) cell");
        }
        return target - dtw;
    }
}
