package io.github.sparsestruct.cli;

import static io.github.sparsestruct.cli.ResultJson.entry;
import static io.github.sparsestruct.cli.ResultJson.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.cli.InstanceSolver.Budget;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.FrankWolfeSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.List;
import java.util.Locale;

/**
 * Runs the {@code sparsemap} method of {@code solve} on any structure: the chosen SparseMAP solver with its
 * iteration limit and tolerance, within a {@link Budget}, and writes the value, marginals, support, iterations,
 * gap and convergence (with a warning when it did not converge).
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

    /** A SparseMAP support structure as JSON. */
    interface StructureJson {
        JsonNode of(Structure s);
    }

    /** Solves with SparseMAP and writes the result of an r x c marginal matrix into {@code out}. */
    void run(StructuredPolytope poly, double[] etaU, double[] etaV, double gamma, int r, int c,
             Budget budget, ObjectNode out, StructureJson json) {
        StructuredPolytope p = budget == Budget.NONE ? poly : new BudgetedPolytope(poly, budget);
        SparseMapResult res = solver(gamma).solve(p, etaU, etaV);
        out.put("value", res.objective());
        out.set("marginals", rows(res.u(), r, c));
        ArrayNode sup = out.putArray("support");
        List<Structure> s = res.support();
        for (int i = 0; i < s.size(); i++) {
            sup.add(entry(res.weights()[i], json.of(s.get(i))));
        }
        out.put("iterations", res.iterations());
        out.put("gap", res.gap());
        out.put("converged", res.converged());
        if (!res.converged()) {
            String why = res.iterations() >= maxIterations
                    ? "not converged after " + res.iterations() + " iterations (--max-iter " + maxIterations + ")"
                    : "not converged: the solver stopped after " + res.iterations() + " of at most " + maxIterations
                    + " iterations (numerical breakdown)";
            out.put("warning", why + String.format(Locale.ROOT, ", duality gap %.3g, tolerance %.3g", res.gap(),
                    tolerance) + "; the solution is approximate: raise --max-iter or --tol");
        }
    }
}
