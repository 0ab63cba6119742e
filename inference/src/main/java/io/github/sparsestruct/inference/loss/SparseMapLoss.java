package io.github.sparsestruct.inference.loss;

import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;

/**
 * The SparseMAP loss (Niculae et al. 2018, §4; a Fenchel-Young loss with Ω = (γ/2)‖u‖² on the marginal polytope):
 * ℓ = SparseMAP_obj(η) + (γ/2)‖y_u‖² − ⟨η, y⟩, gradient (u*, v*) − (y_u, y_v). With {@code costAugmented} it is
 * m-SparseMAP: the scores get the Hamming cost 1 − y_u added before solving. Against a soft target μ
 * ({@link #softLoss}; not cost-augmented) ℓ = SparseMAP_obj(η) + (γ/2)‖μ_u‖² − ⟨η, μ⟩, gradient (u*, v*) − μ.
 */
public final class SparseMapLoss implements StructuredLoss {
    private final StructuredPolytope polytope;
    private final SparseMapSolver solver;
    private final double gamma;
    private final boolean costAugmented;
    private SparseMapResult last;

    /** SparseMAP loss with the default active-set solver and γ = 1. */
    public SparseMapLoss(StructuredPolytope polytope, boolean costAugmented) {
        this(polytope, new ActiveSetSolver(), costAugmented);
    }

    /** SparseMAP loss with a given solver (its γ is taken from its options when it is an active-set solver). */
    public SparseMapLoss(StructuredPolytope polytope, SparseMapSolver solver, boolean costAugmented) {
        this.polytope = polytope;
        this.solver = solver;
        this.gamma = solver instanceof ActiveSetSolver a ? a.options().gamma() : SparseMapOptions.DEFAULT.gamma();
        this.costAugmented = costAugmented;
    }

    /** The SparseMAP solution of the last call (its support is the loss's prediction). */
    public SparseMapResult lastResult() {
        return last;
    }

    @Override
    public double loss(double[] etaU, double[] etaV, Structure target, double[] gradU, double[] gradV) {
        double[] scores = costAugmented ? Losses.hammingAugmented(etaU, target) : etaU;
        SparseMapResult r = solver.solve(polytope, scores, etaV);
        last = r;
        System.arraycopy(r.u(), 0, gradU, 0, gradU.length);
        if (gradV != null) {
            System.arraycopy(r.v(), 0, gradV, 0, gradV.length);
        }
        double t = Losses.subtractTarget(target, etaU, etaV, gradU, gradV);
        // ⟨cost, y⟩ = 0 for the target itself, so the cost-augmented objective needs no correction
        double value = r.objective() + 0.5 * gamma * target.unary().length - t;
        return Math.max(0.0, value);
    }

    @Override
    public double softLoss(double[] etaU, double[] etaV, double[] targetU, double[] targetV, double[] gradU,
                           double[] gradV) {
        if (costAugmented) {
            throw new UnsupportedOperationException("cost-augmented SparseMAP has no soft-target form: its cost is "
                    + "defined for a structure");
        }
        SparseMapResult r = solver.solve(polytope, etaU, etaV);
        last = r;
        System.arraycopy(r.u(), 0, gradU, 0, gradU.length);
        if (gradV != null) {
            System.arraycopy(r.v(), 0, gradV, 0, gradV.length);
        }
        double t = Losses.subtractSoftTarget(targetU, targetV, etaU, etaV, gradU, gradV);
        double sq = 0;
        for (double m : targetU) {
            sq += m * m;
        }
        return Math.max(0.0, r.objective() + 0.5 * gamma * sq - t);
    }
}
