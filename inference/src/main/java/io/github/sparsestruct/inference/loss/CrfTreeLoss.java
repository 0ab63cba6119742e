package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.map.InsideOutside;
import io.github.sparsestruct.inference.map.MatrixTree;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.Structure;

/**
 * Tree CRF loss: γ·log Z(η/γ) − ⟨η, y_true⟩ over dependency trees, with Z by the matrix-tree theorem
 * (non-projective; Koo et al. 2007, single-root variant too) or by inside-outside (projective). Gradient: arc
 * marginals minus the target's arcs. Scores in the layout of {@link TreePolytope}. Against soft arc targets μ
 * ({@link #softLoss}, e.g. a teacher parser's arc marginals) the value is γ·log Z − ⟨η, μ⟩ (the cross-entropy at
 * γ = 1).
 */
public final class CrfTreeLoss implements StructuredLoss {
    private final TreePolytope trees;
    private final double gamma;

    /** CRF loss over the trees of the given polytope (its projectivity and single-root setting) at temperature γ. */
    public CrfTreeLoss(TreePolytope trees, double gamma) {
        this.trees = trees;
        this.gamma = gamma;
    }

    @Override
    public double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV) {
        Losses.checkNaN(etaU, "arc");
        int n = trees.words();
        double logZ = trees.projective()
                ? InsideOutside.logPartition(n, etaU, trees.singleRoot(), gamma, gradU)
                : MatrixTree.logPartition(n, etaU, trees.singleRoot(), gamma, gradU);
        if (logZ == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible tree: every tree scores -Infinity");
        }
        double t = Losses.subtractTarget(target, etaU, null, gradU, null);
        return Math.max(0.0, logZ - t);
    }

    @Override
    public double softLoss(double[] etaU, double[] etaV, double[] targetU, double[] targetV, double[] gradU,
                           double[] gradV) {
        Losses.checkNaN(etaU, "arc");
        int n = trees.words();
        double logZ = trees.projective()
                ? InsideOutside.logPartition(n, etaU, trees.singleRoot(), gamma, gradU)
                : MatrixTree.logPartition(n, etaU, trees.singleRoot(), gamma, gradU);
        if (logZ == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no feasible tree: every tree scores -Infinity");
        }
        return logZ - Losses.subtractSoftTarget(targetU, null, etaU, null, gradU, null);
    }
}
