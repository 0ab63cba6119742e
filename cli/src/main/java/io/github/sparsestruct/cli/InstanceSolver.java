package io.github.sparsestruct.cli;

import static io.github.sparsestruct.cli.InstanceJson.number;
import static io.github.sparsestruct.cli.InstanceJson.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Solves one JSON instance of the {@code solve} contract (docs/solve.md). Stateless apart from its
 * settings; one instance per thread. An instance over its structure's size limit is refused before it is solved;
 * a {@link Budget} lets another thread stop a SparseMAP solve between two iterations. The structures are solved
 * by {@link StructureSolvers}, within {@link SolveLimits}, SparseMAP by {@link SparseMapRunner}.
 */
public final class InstanceSolver {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * The default size limits of {@code solve --max-size}, by structure, each on the measure {@link #SIZE_MEASURE}
     * names: at these sizes one decoding pass (map, marginals, one SparseMAP iteration) takes a few seconds at most.
     */
    public static final Map<String, Long> DEFAULT_MAX_SIZE = SolveLimits.DEFAULT_MAX_SIZE;
    /** What {@code --max-size} measures, by structure. */
    static final Map<String, String> SIZE_MEASURE = SolveLimits.SIZE_MEASURE;

    private final StructureSolvers structures;

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
        String name = solverName.toLowerCase(Locale.ROOT);
        SolveLimits limits = new SolveLimits(maxSize);
        this.structures = new StructureSolvers(limits, new SparseMapRunner(name, maxIterations, tolerance));
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

        /** Counts one MAP oracle call of SparseMAP, or fails when the solve was asked to stop. */
        void countOracleCall() {
            if (stopped || Thread.currentThread().isInterrupted()) {
                throw new StoppedException();
            }
            oracleCalls.incrementAndGet();
        }
    }

    /** Thrown inside a solve whose {@link Budget} was stopped; the solve's result is discarded. */
    static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("the solve was stopped (time limit)", null, false, false);
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
            structures.solve(structure, in, method, gamma, budget, out);
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
}
