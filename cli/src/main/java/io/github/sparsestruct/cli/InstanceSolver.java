package io.github.sparsestruct.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.FrankWolfeSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapOptions;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.SparseMapSolver;
import io.github.sparsestruct.inference.sparsemap.Structure;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Solves one JSON instance of the {@code solve} contract (docs/solve.md). Stateless apart from its
 * settings; one instance per thread. An instance over its structure's size limit is refused before it is solved;
 * a {@link Budget} lets another thread stop a SparseMAP solve between two iterations.
 */
public final class InstanceSolver {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * The default size limits of {@code solve --max-size}, by structure, each on the measure {@link #SIZE_MEASURE}
     * names: at these sizes one decoding pass (map, marginals, one SparseMAP iteration) takes a few seconds at most.
     */
    public static final Map<String, Long> DEFAULT_MAX_SIZE;
    /** What {@code --max-size} measures, by structure. */
    static final Map<String, String> SIZE_MEASURE;

    static {
        Map<String, Long> limit = new LinkedHashMap<>();
        Map<String, String> measure = new LinkedHashMap<>();
        limit.put("sequence", 10_000_000L);
        measure.put("sequence", "T·S·S");
        limit.put("tree", 1_000L);
        measure.put("tree", "n");
        limit.put("projective_tree", 500L);
        measure.put("projective_tree", "n");
        limit.put("matching", 1_000_000L);
        measure.put("matching", "m·k");
        limit.put("alignment", 1_000_000L);
        measure.put("alignment", "NA·NB");
        DEFAULT_MAX_SIZE = Collections.unmodifiableMap(limit);
        SIZE_MEASURE = Collections.unmodifiableMap(measure);
    }

    private final String solverName;
    private final int maxIterations;
    private final double tolerance;
    private final Map<String, Long> maxSize;

    /**
     * A solver with the default size limits ({@link #DEFAULT_MAX_SIZE}).
     *
     * @param solverName    active-set, fw, away-step or pairwise
     * @param maxIterations SparseMAP iteration limit
     * @param tolerance     SparseMAP gap tolerance
     */
    public InstanceSolver(String solverName, int maxIterations, double tolerance) {
        this(solverName, maxIterations, tolerance, DEFAULT_MAX_SIZE);
    }

    /**
     * @param solverName    active-set, fw, away-step or pairwise
     * @param maxIterations SparseMAP iteration limit
     * @param tolerance     SparseMAP gap tolerance
     * @param maxSize       the size limit by structure ({@link #SIZE_MEASURE}); a structure absent or mapped to 0
     *                      has none
     */
    public InstanceSolver(String solverName, int maxIterations, double tolerance, Map<String, Long> maxSize) {
        this.solverName = solverName.toLowerCase(Locale.ROOT);
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.maxSize = Map.copyOf(maxSize);
        for (Map.Entry<String, Long> e : this.maxSize.entrySet()) {
            if (!SIZE_MEASURE.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown structure '" + e.getKey() + "' in a size limit; expected "
                        + String.join(", ", SIZE_MEASURE.keySet()));
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("the size limit of " + e.getKey() + " must be >= 0 (0: none), got "
                        + e.getValue());
            }
        }
        solver(1.0); // validate the name now
    }

    /**
     * Lets the thread that started a solve stop it: SparseMAP checks {@link #stop()} before each call of its MAP
     * oracle and gives up there; a single decoding pass (map, marginals, dp_*) is not interrupted. Counts the oracle
     * calls so that the stopping thread can say how far the solve got.
     */
    static final class Budget {
        /** No stopping: the solve runs to its end. */
        static final Budget NONE = new Budget();

        private volatile boolean stopped;
        private final AtomicInteger oracleCalls = new AtomicInteger();

        /** Asks the solve to stop at its next SparseMAP iteration. */
        void stop() {
            stopped = true;
        }

        /** MAP oracle calls of SparseMAP so far. */
        int oracleCalls() {
            return oracleCalls.get();
        }
    }

    /** Thrown inside a solve whose {@link Budget} was stopped; the solve's result is discarded. */
    static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("the solve was stopped (time limit)", null, false, false);
        }
    }

    /** A polytope that checks its budget before each oracle call; otherwise exactly the wrapped polytope. */
    private static final class BudgetedPolytope implements StructuredPolytope {
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
            if (budget.stopped || Thread.currentThread().isInterrupted()) {
                throw new StoppedException();
            }
            budget.oracleCalls.incrementAndGet();
            return inner.argmax(etaU, etaV);
        }

        @Override
        public boolean constantSize() {
            return inner.constantSize();
        }
    }

    /** The error object {@code {"id": …, "error": message}} of an instance (id null when there is none). */
    static ObjectNode error(JsonNode in, String message) {
        ObjectNode err = MAPPER.createObjectNode();
        if (in != null && in.isObject() && in.has("id")) {
            err.set("id", in.get("id"));
        } else {
            err.putNull("id");
        }
        err.put("error", message);
        return err;
    }

    /** Fails when {@code size} (on the structure's measure) is over the structure's limit. */
    private void checkSize(String structure, long size, String what) {
        Long limit = maxSize.get(structure);
        if (limit != null && limit > 0 && size > limit) {
            String measure = SIZE_MEASURE.get(structure);
            throw new InstanceException(what + " is over the size limit of " + structure + ", " + measure + " <= "
                    + limit + "; raise it with --max-size " + structure + "=N (0 for no limit), or split the instance");
        }
    }

    /** Bad input of one instance: reported as {@code {"id": …, "error": …}}. */
    static final class InstanceException extends RuntimeException {
        InstanceException(String message) {
            super(message);
        }
    }

    /** Solves one line; never throws: failures become an {@code error} object. */
    public ObjectNode solveLine(String line) {
        return solveLine(line, Budget.NONE);
    }

    /** Solves one line within a budget; never throws: failures become an {@code error} object. */
    ObjectNode solveLine(String line, Budget budget) {
        JsonNode in;
        try {
            in = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.putNull("id");
            err.put("error", "invalid JSON: " + e.getOriginalMessage());
            return err;
        }
        return solve(in, budget);
    }

    /** Solves one parsed instance; never throws: failures become an {@code error} object. */
    public ObjectNode solve(JsonNode in) {
        return solve(in, Budget.NONE);
    }

    /**
     * Solves one parsed instance within a budget; never throws: failures become an {@code error} object, and a
     * stopped solve gives an error that its caller replaces.
     */
    ObjectNode solve(JsonNode in, Budget budget) {
        ObjectNode out = MAPPER.createObjectNode();
        if (in != null && in.has("id")) {
            out.set("id", in.get("id"));
        } else {
            out.putNull("id");
        }
        try {
            if (in == null || !in.isObject()) {
                throw new InstanceException("an instance must be a JSON object");
            }
            String structure = text(in, "structure");
            String method = text(in, "method");
            double gamma = in.has("gamma") && !in.get("gamma").isNull() ? number(in.get("gamma"), "gamma") : 1.0;
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new InstanceException("gamma must be a finite number > 0, got " + gamma);
            }
            switch (structure) {
                case "sequence" -> sequence(in, method, gamma, budget, out);
                case "tree" -> tree(in, method, gamma, false, budget, out);
                case "projective_tree" -> tree(in, method, gamma, true, budget, out);
                case "matching" -> matching(in, method, gamma, budget, out);
                case "alignment" -> alignment(in, method, gamma, budget, out);
                default -> throw new InstanceException("unknown structure '" + structure
                        + "'; expected sequence, tree, projective_tree, matching or alignment");
            }
            return out;
        } catch (InstanceException | IllegalArgumentException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.set("id", out.get("id"));
            err.put("error", e.getMessage());
            return err;
        } catch (StoppedException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.set("id", out.get("id"));
            err.put("error", "time limit exceeded: the solve was stopped after " + budget.oracleCalls()
                    + " SparseMAP oracle calls");
            return err;
        } catch (RuntimeException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.set("id", out.get("id"));
            err.put("error", "internal error: " + e);
            return err;
        }
    }

    private static String unknownMethod(String method) {
        return "unknown method '" + method + "'; expected map, sparsemap, marginals, dp_entropy or dp_l2";
    }

    // ---------------------------------------------------------------- sequence

    private void sequence(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] unary = matrix(in, "unary", true);
        int T = unary.length;
        int S = unary[0].length;
        long tss = (long) T * S;
        tss = tss > Long.MAX_VALUE / S ? Long.MAX_VALUE : tss * S;
        checkSize("sequence", tss, "a sequence of T=" + T + " positions and S=" + S + " tags (T·S·S = " + tss + ")");
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
            case "sparsemap" -> sparseMap(poly, etaU, etaV, gamma, T, S, budget, out, s -> ints(s.code()));
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

    private void tree(JsonNode in, String method, double gamma, boolean projective, Budget budget, ObjectNode out) {
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
        checkSize(structure, n, "a " + structure + " of n=" + n + " words");
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
            case "sparsemap" -> sparseMap(poly, a, null, gamma, n1, n1, budget, out, s -> ints(s.code()));
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

    private void matching(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] scores = matrix(in, "scores", true);
        int m = scores.length;
        int k = scores[0].length;
        checkSize("matching", (long) m * k, "a " + m + "x" + k + " matching (m·k = " + (long) m * k + ")");
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
            case "sparsemap" -> sparseMap(poly, s, null, gamma, m, k, budget, out, st -> pairs(st.code()));
            case "marginals", "dp_entropy", "dp_l2" -> throw new InstanceException(method
                    + " is not available for matchings (the partition function of matchings is #P-hard);"
                    + " use map or sparsemap");
            default -> throw new InstanceException(unknownMethod(method));
        }
    }

    // ---------------------------------------------------------------- alignments

    private void alignment(JsonNode in, String method, double gamma, Budget budget, ObjectNode out) {
        double[][] costs = matrix(in, "costs", true);
        int na = costs.length;
        int nb = costs[0].length;
        checkSize("alignment", (long) na * nb, "a " + na + "x" + nb + " alignment (NA·NB = " + (long) na * nb + ")");
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
                sparseMap(new AlignmentPolytope(na, nb), scores, null, gamma, na, nb, budget, out,
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

    // ---------------------------------------------------------------- SparseMAP

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

    private interface StructureJson {
        JsonNode of(Structure s);
    }

    private void sparseMap(StructuredPolytope poly, double[] etaU, double[] etaV, double gamma, int r, int c,
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

    // ---------------------------------------------------------------- JSON helpers

    private static ObjectNode entry(double weight, JsonNode structure) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("weight", weight);
        e.set("structure", structure);
        return e;
    }

    private static ArrayNode ints(int[] x) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int v : x) {
            a.add(v);
        }
        return a;
    }

    private static ArrayNode pairs(int[] colOfRow) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int r = 0; r < colOfRow.length; r++) {
            if (colOfRow[r] >= 0) {
                a.add(ints(new int[] {r, colOfRow[r]}));
            }
        }
        return a;
    }

    private static ArrayNode cellsJson(int[] cells, int nb) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int cell : cells) {
            a.add(ints(new int[] {cell / nb, cell % nb}));
        }
        return a;
    }

    private static ArrayNode rows(double[] x, int r, int c) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int i = 0; i < r; i++) {
            ArrayNode row = a.addArray();
            for (int j = 0; j < c; j++) {
                row.add(x[i * c + j] + 0.0); // + 0.0 turns −0.0 into 0.0
            }
        }
        return a;
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

    private static String text(JsonNode in, String key) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            throw new InstanceException("missing key '" + key + "'");
        }
        if (!n.isTextual()) {
            throw new InstanceException("'" + key + "' must be a string");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode n, String key) {
        if (!n.isBoolean()) {
            throw new InstanceException("'" + key + "' must be true or false");
        }
        return n.booleanValue();
    }

    /**
     * A score: a JSON number, or −∞ written as the token -Infinity, the string "-inf"/"-Infinity", or null.
     * NaN is rejected.
     */
    static double number(JsonNode n, String where) {
        double v;
        if (n == null || n.isNull()) {
            v = Double.NEGATIVE_INFINITY;
        } else if (n.isNumber()) {
            v = n.doubleValue();
        } else if (n.isTextual()) {
            String s = n.asText().trim().toLowerCase(Locale.ROOT);
            v = switch (s) {
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw new InstanceException(where + " must be a number, got \"" + n.asText() + "\"");
            };
        } else {
            throw new InstanceException(where + " must be a number, got " + n);
        }
        if (Double.isNaN(v)) {
            throw new InstanceException(where + " is NaN; scores must be numbers or -Infinity");
        }
        if (v == Double.POSITIVE_INFINITY && !where.startsWith("costs")) {
            throw new InstanceException(where + " is +Infinity; scores must be finite or -Infinity");
        }
        return v;
    }

    private static double[][] matrix(JsonNode in, String key, boolean required) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                throw new InstanceException("missing key '" + key + "'");
            }
            return null;
        }
        if (!n.isArray() || n.size() == 0) {
            throw new InstanceException("'" + key + "' must be a non-empty array of arrays");
        }
        int rowsCount = n.size();
        double[][] m = new double[rowsCount][];
        for (int i = 0; i < rowsCount; i++) {
            JsonNode row = n.get(i);
            if (!row.isArray() || row.size() == 0) {
                throw new InstanceException("'" + key + "' row " + i + " must be a non-empty array");
            }
            if (i > 0 && row.size() != m[0].length) {
                throw new InstanceException("'" + key + "' is ragged: row 0 has " + m[0].length + " entries, row "
                        + i + " has " + row.size());
            }
            m[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                m[i][j] = number(row.get(j), key + "[" + i + "][" + j + "]");
            }
        }
        return m;
    }

    private static double[][][] tensor(JsonNode n, String key) {
        double[][][] t = new double[n.size()][][];
        for (int i = 0; i < n.size(); i++) {
            ObjectNode wrap = MAPPER.createObjectNode();
            wrap.set("x", n.get(i));
            t[i] = matrix(wrap, "x", true);
        }
        return t;
    }

    private static void copySquare(double[][] m, int s, String what, double[] dst, int off) {
        if (m.length != s || m[0].length != s) {
            throw new InstanceException(what + " must be " + s + "x" + s + ", got " + m.length + "x" + m[0].length);
        }
        for (int a = 0; a < s; a++) {
            System.arraycopy(m[a], 0, dst, off + a * s, s);
        }
    }

    private static double[] optVector(JsonNode in, String key, int len) {
        JsonNode n = in.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray() || n.size() != len) {
            throw new InstanceException("'" + key + "' must be an array of " + len + " numbers");
        }
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = number(n.get(i), key + "[" + i + "]");
        }
        return v;
    }

    private static double[] flatten(double[][] m) {
        int c = m[0].length;
        double[] x = new double[m.length * c];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, x, i * c, c);
        }
        return x;
    }
}
