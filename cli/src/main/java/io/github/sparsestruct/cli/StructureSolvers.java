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
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import io.github.sparsestruct.models.decode.Decoding;
import io.github.sparsestruct.models.decode.MatchingDecoder;
import io.github.sparsestruct.models.decode.PathDecoder;
import io.github.sparsestruct.models.decode.SequenceDecoder;
import io.github.sparsestruct.models.decode.SparseDistribution;
import io.github.sparsestruct.models.decode.StructureDecoder;
import io.github.sparsestruct.models.decode.TreeDecoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Solves one {@code solve} instance of each structure (sequence, tree and projective tree, matching, alignment): reads
 * its scores, checks its size against the {@link SolveLimits} and its method against the decodings its structure
 * allows, decodes it with the structure's decoder of {@code models.decode} (the decoders the models use) and writes
 * the value, marginals and support (heaviest first) into the result.
 */
final class StructureSolvers {
    /** The decodings of each structure, in the order of {@code solve}'s error messages. */
    static final Map<String, Set<Decoding>> DECODINGS = decodings();

    private final SolveLimits limits;
    private final SparseMapRunner sparseMap;

    StructureSolvers(SolveLimits limits, SparseMapRunner sparseMap) {
        this.limits = limits;
        this.sparseMap = sparseMap;
    }

    private static Map<String, Set<Decoding>> decodings() {
        Map<String, Set<Decoding>> m = new LinkedHashMap<>();
        m.put("sequence", SequenceDecoder.DECODINGS);
        m.put("tree", TreeDecoder.DECODINGS);
        m.put("projective_tree", TreeDecoder.DECODINGS);
        m.put("matching", MatchingDecoder.DECODINGS);
        m.put("alignment", PathDecoder.DECODINGS);
        return Collections.unmodifiableMap(m);
    }

    /**
     * A solved instance: its distribution, the shape of its marginals and how its structures are written.
     *
     * @param feasibleValue whether the value shows a feasible structure (infinite values are errors)
     */
    private record Solved(Decoding mode, SparseDistribution d, int rows, int cols, Function<int[], JsonNode> json,
                          boolean feasibleValue) {
    }

    /**
     * Solves one instance of {@code structure} and writes its result into {@code out}.
     *
     * @throws InstanceException for an unknown structure or method, a method the structure lacks, bad scores, an
     *                           instance over its size limit or without a feasible structure
     */
    void solve(String structure, JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        SparseMapSolver sm = sparseMap.solver(gamma, budget);
        Solved s = switch (structure) {
            case "sequence" -> sequence(in, method, gamma, sm);
            case "tree" -> tree(in, method, gamma, false, sm);
            case "projective_tree" -> tree(in, method, gamma, true, sm);
            case "matching" -> matching(in, method, sm);
            case "alignment" -> alignment(in, method, gamma, sm);
            default -> throw new InstanceException("unknown structure '" + structure + "'; expected "
                    + or(List.copyOf(DECODINGS.keySet())));
        };
        SparseDistribution d = s.d();
        if (!s.feasibleValue()) {
            throw new InstanceException(structure.equals("alignment")
                    ? "no feasible alignment: every path has infinite cost"
                    : "no feasible structure: every structure scores -Infinity");
        }
        out.put("value", d.value());
        out.set("marginals", rows(d.marginals(), s.rows(), s.cols()));
        ArrayNode sup = out.putArray("support");
        Decoding mode = s.mode();
        if (mode.listsDistribution()) {
            for (int i = 0; i < d.size(); i++) {
                sup.add(entry(d.weights()[i], s.json().apply(d.structures().get(i))));
            }
        }
        if (mode.mixture()) {
            sparseMap.writeFigures(d, out);
        }
    }

    /**
     * The decoding {@code method} names, when {@code structure} allows it.
     *
     * @throws InstanceException naming the methods that exist, or those the structure allows and the structures
     *                           that allow this one
     */
    static Decoding method(String structure, String method, StructureDecoder decoder) {
        Decoding mode = Decoding.byId(method).orElseThrow(() -> new InstanceException("unknown method '" + method
                + "'; expected " + or(Decoding.names())));
        if (!decoder.supported().contains(mode)) {
            List<String> where = DECODINGS.entrySet().stream().filter(e -> e.getValue().contains(mode))
                    .map(Map.Entry::getKey).toList();
            String why = decoder.limitation();
            throw new InstanceException(method + " applies to " + and(where) + ", not to " + structure
                    + (why == null ? "" : " (" + why + ")") + "; for " + structure + " use "
                    + or(decoder.supported().stream().sorted().map(Decoding::id).toList()));
        }
        return mode;
    }

    private static String or(List<String> names) {
        return join(names, " or ");
    }

    private static String and(List<String> names) {
        return join(names, " and ");
    }

    private static String join(List<String> names, String last) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + last + names.get(names.size() - 1);
    }

    // ---------------------------------------------------------------- sequence

    /** A sequence: unary, transition (SxS or (T-1)xSxS), start and end scores. */
    private Solved sequence(JsonNode in, String method, double gamma, SparseMapSolver sm) {
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
        SequenceDecoder decoder = new SequenceDecoder(S, SparseMapOptions.DEFAULT);
        Decoding mode = method("sequence", method, decoder);
        SparseDistribution d = decoder.decode(poly, etaU, etaV, mode, gamma, sm);
        return new Solved(mode, d, T, S, c -> ints(c), d.value() != Double.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------- trees

    /** A dependency tree (projective or not) from its (n+1)x(n+1) arc scores. */
    private Solved tree(JsonNode in, String method, double gamma, boolean projective, SparseMapSolver sm) {
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
        TreeDecoder decoder = new TreeDecoder(projective, singleRoot, SparseMapOptions.DEFAULT);
        Decoding mode = method(structure, method, decoder);
        SparseDistribution d = decoder.decode(n, a, mode, gamma, sm);
        return new Solved(mode, d, n1, n1, c -> ints(c), d.value() != Double.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------- matchings

    /** A matching from its m x k scores. */
    private Solved matching(JsonNode in, String method, SparseMapSolver sm) {
        double[][] scores = matrix(in, "scores", true);
        int m = scores.length;
        int k = scores[0].length;
        limits.check("matching", (long) m * k, "a " + m + "x" + k + " matching (m·k = " + (long) m * k + ")");
        MatchingDecoder decoder = new MatchingDecoder(SparseMapOptions.DEFAULT);
        Decoding mode = method("matching", method, decoder);
        SparseDistribution d = decoder.decode(m, k, flatten(scores), mode, sm);
        return new Solved(mode, d, m, k, c -> pairs(c), d.value() != Double.NEGATIVE_INFINITY);
    }

    // ---------------------------------------------------------------- alignments

    /** An alignment (monotone path) from its NA x NB costs. */
    private Solved alignment(JsonNode in, String method, double gamma, SparseMapSolver sm) {
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
        PathDecoder decoder = new PathDecoder(SparseMapOptions.DEFAULT);
        Decoding mode = method("alignment", method, decoder);
        SparseDistribution d = decoder.decode(na, nb, c, mode, gamma, sm);
        return new Solved(mode, d, na, nb, cells -> cellsJson(cells, nb), !Double.isInfinite(d.value()));
    }
}
