package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.cli.InstanceSolver.Budget;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.FrankWolfeSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import io.github.sparsestruct.models.decode.SparseDistribution;
import java.util.Locale;

/**
 * The {@code sparsemap} method of {@code solve}: the chosen SparseMAP solver with its iteration limit and tolerance,
 * within a {@link Budget}, and the figures it adds to a result (iterations, gap, convergence, with a warning when it
 * did not converge).
 */
final class SparseMapRunner {
    private final String solverName;
    private final int maxIterations;
    private final double tolerance;

    /**
     * @param solverName    active-set, fw, away-step or pairwise, lower case
     * @param maxIterations SparseMAP iteration limit
     * @param tolerance     SparseMAP gap tolerance
     * @throws IllegalArgumentException for an unknown solver name
     */
    SparseMapRunner(String solverName, int maxIterations, double tolerance) {
        this.solverName = solverName;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        solver(1.0); // validate the name now
    }

    private SparseMapSolver solver(double gamma) {
        SparseMapOptions opt = new SparseMapOptions(gamma, maxIterations, tolerance);
        return switch (solverName) {
            case "active-set", "activeset", "active_set" -> new ActiveSetSolver(opt);
            case "fw", "vanilla" -> new FrankWolfeSolver(FrankWolfeSolver.Variant.VANILLA, opt);
            case "away-step", "away" -> new FrankWolfeSolver(FrankWolfeSolver.Variant.AWAY_STEP, opt);
            case "pairwise" -> new FrankWolfeSolver(FrankWolfeSolver.Variant.PAIRWISE, opt);
            default -> throw new IllegalArgumentException("unknown SparseMAP solver '" + solverName
                    + "'; expected active-set, fw, away-step or pairwise");
        };
    }

    /**
     * The chosen SparseMAP solver at temperature {@code gamma}, whose oracle calls are counted against {@code budget}
     * (which stops it between two iterations).
     */
    SparseMapSolver solver(double gamma, Budget budget) {
        SparseMapSolver inner = solver(gamma);
        if (budget == Budget.NONE) {
            return inner;
        }
        return (poly, etaU, etaV, warmSupport, warmWeights) -> inner.solve(new BudgetedPolytope(poly, budget), etaU,
                etaV, warmSupport, warmWeights);
    }

    /** Writes a SparseMAP result's iterations, gap and convergence into {@code out}, with a warning if unconverged. */
    void writeFigures(SparseDistribution d, ObjectNode out) {
        out.put("iterations", d.iterations());
        out.put("gap", d.gap());
        out.put("converged", d.converged());
        if (!d.converged()) {
            String why = d.iterations() >= maxIterations
                    ? "not converged after " + d.iterations() + " iterations (--max-iter " + maxIterations + ")"
                    : "not converged: the solver stopped after " + d.iterations() + " of at most " + maxIterations
                    + " iterations (numerical breakdown)";
            out.put("warning", why + String.format(Locale.ROOT, ", duality gap %.3g, tolerance %.3g", d.gap(),
                    tolerance) + "; the solution is approximate: raise --max-iter or --tol");
        }
    }
}
