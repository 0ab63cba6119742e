package io.github.sparsestruct.cli;

import static io.github.sparsestruct.cli.InstanceJson.bool;
import static io.github.sparsestruct.cli.InstanceJson.copySquare;
import static io.github.sparsestruct.cli.InstanceJson.flatten;
import static io.github.sparsestruct.cli.InstanceJson.matrix;
import static io.github.sparsestruct.cli.InstanceJson.optVector;
import static io.github.sparsestruct.cli.InstanceJson.tensor;
import static io.github.sparsestruct.cli.ResultJson.cellsJson;
import static io.github.sparsestruct.cli.ResultJson.entry;
import static io.github.sparsestruct.cli.ResultJson.ints;
import static io.github.sparsestruct.cli.ResultJson.pairs;
import static io.github.sparsestruct.cli.ResultJson.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.cli.InstanceSolver.Budget;
import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.map.Eisner;
import io.github.sparsestruct.inference.map.InsideOutside;
import io.github.sparsestruct.inference.map.LinearAssignment;
import io.github.sparsestruct.inference.map.MatrixTree;
import io.github.sparsestruct.inference.map.MaxArborescence;
import io.github.sparsestruct.inference.map.ViterbiDecoder;
import io.github.sparsestruct.inference.polytope.AlignmentPolytope;
import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.smooth.SmoothedMax;

/**
 * Solves one {@code solve} instance of each structure (sequence, tree and projective tree, matching, alignment)
 * with each method: reads its scores, checks its size against the {@link SolveLimits}, decodes and writes the
 * value, marginals and support into the result.
 */
final class StructureSolvers {
    private final SolveLimits limits;
    private final SparseMapRunner sparseMap;

    StructureSolvers(SolveLimits limits, SparseMapRunner sparseMap) {
        this.limits = limits;
        this.sparseMap = sparseMap;
    }

    private static String unknownMethod(String method) {
        return "unknown method '" + method + "'; expected map, sparsemap, marginals, dp_entropy or dp_l2";
    }

    // ---------------------------------------------------------------- sequence

    /** A sequence: unary, transition (SxS or (T-1)xSxS), start and end scores. */
    void sequence(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] unary = matrix(in, "unary", true);
        int T = unary.length;
        int S = unary[0].length;
        long tss = (long) T * S;
        tss = tss > Long.MAX_VALUE / S ? Long.MAX_VALUE : tss * S;
        limits.check("sequence", tss, "a sequence of T=" + T + " positions and S=" + S + " tags (T·S·S = " + tss
                + ")");
        SequencePolytope poly = new SequencePolytope(T, S);
        double[] transition = null;
        if (in.has("transition") && !in.get("transition").isNull()) {
            JsonNode tr = in.get("transition");
            // [] is the (T-1)xSxS array of a one-position sequence (T-1 = 0 slices)
            if (tr.isArray() && (tr.size() == 0 || tr.get(0).isArray() && tr.get(0).size() > 0
                    && tr.get(0).get(0).isArray())) {
                double[][][] t3 = tensor(tr, "transition");
                if (t3.length != T - 1) {
                    throw new InstanceException("position-dependent transition must be (T-1)xSxS with T-1=" + (T - 1)
                            + " slices, got " + t3.length);
                }
                transition = new double[(T - 1) * S * S];
                for (int t = 0; t < T - 1; t++) {
                    copySquare(t3[t], S, "transition[" + t + "]", transition, t * S * S);
                }
            } else {
                double[][] t2 = matrix(in, "transition", false);
                transition = new double[S * S];
                copySquare(t2, S, "transition", transition, 0);
            }
        }
        double[] start = optVector(in, "start", S);
        double[] end = optVector(in, "end", S);
        double[] etaU = flatten(unary);
        double[] etaV = poly.packExtra(transition, start, end);
        switch (method) {
            case "map" -> {
                int[] tags = new int[T];
                double v = new ViterbiDecoder().decode(T, S, etaU, etaV, true, slice(etaV, poly.startOffset(), S),
                        slice(etaV, poly.endOffset(), S), null, tags);
                requireFeasible(v);
                out.put("value", v);
                double[] m = new double[T * S];
                for (int t = 0; t < T; t++) {
                    m[t * S + tags[t]] = 1;
                }
                out.set("marginals", rows(m, T, S));
                ArrayNode sup = out.putArray("support");
                sup.add(entry(1.0, ints(tags)));
            }
            case "sparsemap" -> sparseMap.run(poly, etaU, etaV, gamma, T, S, budget, out, s -> ints(s.code()));
            case "marginals", "dp_entropy" -> viterbiOmega(SmoothedMax.negEntropy(gamma), etaU, etaV, poly, out);
            case "dp_l2" -> viterbiOmega(SmoothedMax.squaredL2(gamma), etaU, etaV, poly, out);
            default -> throw new InstanceException(unknownMethod(method));
        }
    }

    /** Vit_Ω with the start folded into the first step and the end into the last. */
    private static void viterbiOmega(SmoothedMax op, double[] etaU, double[] etaV, SequencePolytope poly,
                                     ObjectNode out) {
        int T = poly.length();
        int S = poly.tags();
        double[] theta = poly.viterbiPotentials(etaU, etaV);
        double[] grad = new double[theta.length];
        double v = new ViterbiOmega(op, S, T).gradient(theta, 0, T, grad, 0);
        requireFeasible(v);
        double[] m = new double[T * S];
        poly.fromViterbiGradient(grad, m, new double[poly.extraDim()]);
        out.put("value", v);
        out.set("marginals", rows(m, T, S));
        out.putArray("support");
    }

    // ---------------------------------------------------------------- trees

    /** A dependency tree (projective or not) from its (n+1)x(n+1) arc scores. */
    void tree(JsonNode in, String method, double gamma, boolean projective, Budget budget, ObjectNode out) {
        double[][] arcs = matrix(in, "arcs", true);
        int n1 = arcs.length;
        if (arcs[0].length != n1) {
            throw new InstanceException("arcs must be (n+1)x(n+1), got " + n1 + "x" + arcs[0].length);
        }
        int n = n1 - 1;
        if (n < 1) {
            throw new InstanceException("a tree needs at least one word: arcs must be at least 2x2");
        }
        String structure = projective ? "projective_tree" : "tree";
        limits.check(structure, n, "a " + structure + " of n=" + n + " words");
        boolean singleRoot = !in.has("single_root") || in.get("single_root").isNull()
                || bool(in.get("single_root"), "single_root");
        double[] a = flatten(arcs);
        // column 0 and the diagonal are ignored
        for (int h = 0; h < n1; h++) {
            a[h * n1] = Double.NEGATIVE_INFINITY;
            a[h * n1 + h] = Double.NEGATIVE_INFINITY;
        }
        TreePolytope poly = new TreePolytope(n, projective, singleRoot);
        switch (method) {
            case "map" -> {
                int[] heads = new int[n1];
                double v = projective ? Eisner.decode(n, a, singleRoot, heads)
                        : MaxArborescence.decode(n, a, singleRoot, heads);
                requireFeasible(v);
                out.put("value", v);
                double[] m = new double[n1 * n1];
                int[] h = new int[n];
                for (int w = 1; w <= n; w++) {
                    m[heads[w] * n1 + w] = 1;
                    h[w - 1] = heads[w];
                }
                out.set("marginals", rows(m, n1, n1));
                out.putArray("support").add(entry(1.0, ints(h)));
            }
            case "sparsemap" -> sparseMap.run(poly, a, null, gamma, n1, n1, budget, out, s -> ints(s.code()));
            case "marginals" -> {
                double[] m = new double[n1 * n1];
                double v = projective ? InsideOutside.logPartition(n, a, singleRoot, gamma, m)
                        : MatrixTree.logPartition(n, a, singleRoot, gamma, m);
                requireFeasible(v);
                out.put("value", v);
                out.set("marginals", rows(m, n1, n1));
                out.putArray("support");
            }
            case "dp_entropy", "dp_l2" -> throw new InstanceException(method
                    + " applies to sequence and alignment; for trees use map, sparsemap or marginals");
            default -> throw new InstanceException(unknownMethod(method));
        }
    }

    // ---------------------------------------------------------------- matchings

    /** A matching from its m x k scores. */
    void matching(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] scores = matrix(in, "scores", true);
        int m = scores.length;
        int k = scores[0].length;
        limits.check("matching", (long) m * k, "a " + m + "x" + k + " matching (m·k = " + (long) m * k + ")");
        double[] s = flatten(scores);
        MatchingPolytope poly = new MatchingPolytope(m, k);
        switch (method) {
            case "map" -> {
                int[] col = new int[m];
                double v = LinearAssignment.solve(m, k, s, col);
                requireFeasible(v);
                out.put("value", v);
                double[] mm = new double[m * k];
                for (int r = 0; r < m; r++) {
                    if (col[r] >= 0) {
                        mm[r * k + col[r]] = 1;
                    }
                }
                out.set("marginals", rows(mm, m, k));
                out.putArray("support").add(entry(1.0, pairs(col)));
            }
            case "sparsemap" -> sparseMap.run(poly, s, null, gamma, m, k, budget, out, st -> pairs(st.code()));
            case "marginals", "dp_entropy", "dp_l2" -> throw new InstanceException(method
                    + " is not available for matchings (the partition function of matchings is #P-hard);"
                    + " use map or sparsemap");
            default -> throw new InstanceException(unknownMethod(method));
        }
    }

    // ---------------------------------------------------------------- alignments

    /** An alignment (monotone path) from its NA x NB costs. */
    void alignment(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] costs = matrix(in, "costs", true);
        int na = costs.length;
        int nb = costs[0].length;
        limits.check("alignment", (long) na * nb, "a " + na + "x" + nb + " alignment (NA·NB = " + (long) na * nb
                + ")");
        double[] c = flatten(costs);
        for (int i = 0; i < c.length; i++) {
            if (c[i] == Double.NEGATIVE_INFINITY) {
                throw new InstanceException("costs must be finite or +Infinity (forbidden cell); entry " + i
                        + " is -Infinity");
            }
        }
        switch (method) {
            case "map" -> {
                AlignmentPolytope poly = new AlignmentPolytope(na, nb);
                int[] cells = poly.bestPath(c);
                if (cells == null) {
                    throw new InstanceException("no feasible alignment: every path has infinite cost");
                }
                double v = 0;
                double[] mm = new double[na * nb];
                for (int cell : cells) {
                    v += c[cell];
                    mm[cell] = 1;
                }
                out.put("value", v);
                out.set("marginals", rows(mm, na, nb));
                out.putArray("support").add(entry(1.0, cellsJson(cells, nb)));
            }
            case "sparsemap" -> {
                double[] scores = new double[c.length];
                for (int i = 0; i < c.length; i++) {
                    scores[i] = -c[i];
                }
                sparseMap.run(new AlignmentPolytope(na, nb), scores, null, gamma, na, nb, budget, out,
                        s -> cellsJson(s.code(), nb));
            }
            case "marginals" -> {
                // Gibbs distribution over paths with scores −cost: value γ·log Σ exp(−cost/γ) = −soft-DTW
                double[] g = new double[c.length];
                double v = new DtwOmega(SmoothedMax.negEntropy(gamma)).gradient(c, na, nb, g);
                requireFinite(v);
                out.put("value", -v);
                out.set("marginals", rows(g, na, nb));
                out.putArray("support");
            }
            case "dp_entropy", "dp_l2" -> {
                SmoothedMax op = method.equals("dp_l2") ? SmoothedMax.squaredL2(gamma) : SmoothedMax.negEntropy(gamma);
                double[] g = new double[c.length];
                double v = new DtwOmega(op).gradient(c, na, nb, g);
                requireFinite(v);
                out.put("value", v);
                out.set("marginals", rows(g, na, nb));
                out.putArray("support");
            }
            default -> throw new InstanceException(unknownMethod(method));
        }
    }

    private static void requireFeasible(double v) {
        if (v == Double.NEGATIVE_INFINITY) {
            throw new InstanceException("no feasible structure: every structure scores -Infinity");
        }
    }

    private static void requireFinite(double v) {
        if (Double.isInfinite(v)) {
            throw new InstanceException("no feasible alignment: every path has infinite cost");
        }
    }

    private static double[] slice(double[] x, int off, int len) {
        double[] y = new double[len];
        System.arraycopy(x, off, y, 0, len);
        return y;
    }
}
