package io.github.sparsestruct.cli;

import io.github.sparsestruct.cli.InstanceSolver.Budget;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;

/** A polytope that checks its {@link Budget} before each oracle call; otherwise exactly the wrapped polytope. */
final class BudgetedPolytope implements StructuredPolytope {
    private final StructuredPolytope inner;
    private final Budget budget;

    BudgetedPolytope(StructuredPolytope inner, Budget budget) {
        this.inner = inner;
        this.budget = budget;
    }

    @Override
    public int unaryDim() {
        return inner.unaryDim();
    }

    @Override
    public int extraDim() {
        return inner.extraDim();
    }

    @Override
    public Structure argmax(double[] etaU, double[] etaV) {
        budget.countOracleCall();
        return inner.argmax(etaU, etaV);
    }

    @Override
    public Structure argmaxValidated(double[] etaU, double[] etaV) {
        budget.countOracleCall();
        return inner.argmaxValidated(etaU, etaV);
    }

    @Override
    public int unaryOverlap(Structure a, Structure b) {
        return inner.unaryOverlap(a, b);
    }

    @Override
    public boolean constantSize() {
        return inner.constantSize();
    }
}
