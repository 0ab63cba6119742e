package io.github.sparsestruct.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sparsestruct solve}: runs the inference core on JSON-lines instances. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Run a decoder on JSON-lines instances, one JSON line out per line in.",
            "Keys: id, structure (sequence, tree, projective_tree, matching,",
            "  alignment), method (map, sparsemap, marginals, dp_entropy, dp_l2),",
            "  gamma (default 1), and the scores: unary/transition/start/end",
            "  (sequence), arcs/single_root (trees), scores (matching), costs",
            "  (alignment). See docs/solve.md.",
            "An instance over its size limit or its time limit gets an error",
            "  line, and the next one is read."})
public final class SolveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "JSON-lines input (default or '-': standard input)")
    String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "output file (default: standard output)")
    Path output;

    @Option(names = "--solver", paramLabel = "NAME", defaultValue = "active-set",
            description = "SparseMAP solver: active-set (default), fw, away-step, pairwise")
    String solver;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "1000",
            description = "SparseMAP iteration limit (default 1000)")
    int maxIterations;

    @Option(names = "--tol", paramLabel = "EPS", defaultValue = "1e-9",
            description = "SparseMAP duality-gap tolerance (default 1e-9)")
    double tolerance;

    @Option(names = "--max-size", paramLabel = "STRUCTURE=N",
            description = {"size limit of a structure, checked before", "solving (repeatable; 0: none); defaults:",
                "sequence=10000000 (T·S·S), tree=1000 (n),", "projective_tree=500 (n), matching=1000000",
                "(m·k), alignment=1000000 (NA·NB)"})
    Map<String, Long> maxSize = new LinkedHashMap<>();

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "10",
            description = "time limit per instance in seconds (default 10; 0: none)")
    double timeLimit;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Map<String, Long> limits = new LinkedHashMap<>(InstanceSolver.DEFAULT_MAX_SIZE);
        for (Map.Entry<String, Long> e : maxSize.entrySet()) {
            if (!limits.containsKey(e.getKey()) || e.getValue() == null || e.getValue() < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--max-size " + e.getKey() + "="
                        + e.getValue() + ": expected STRUCTURE=N with STRUCTURE one of "
                        + String.join(", ", limits.keySet()) + " and N >= 0 (0: no limit)");
            }
            limits.put(e.getKey(), e.getValue());
        }
        if (!(timeLimit >= 0) || Double.isInfinite(timeLimit)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--time-limit " + timeLimit
                    + ": expected a number of seconds >= 0 (0: no limit)");
        }
        InstanceSolver engine = new InstanceSolver(solver, maxIterations, tolerance, limits);
        BufferedReader in;
        if (input == null || input.equals("-")) {
            in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        } else {
            try {
                in = Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                System.err.println("solve: input file not found: " + input);
                return 2;
            }
        }
        Writer w = output == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try (in; PrintWriter out = new PrintWriter(w); Worker worker = timeLimit > 0 ? new Worker(timeLimit) : null) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode result = worker == null ? engine.solveLine(line) : worker.solve(engine, line);
                out.println(InstanceSolver.MAPPER.writeValueAsString(result));
                out.flush();
            }
        }
        return 0;
    }

    /**
     * Solves instances one at a time on a worker thread and gives each its time limit. An instance still running at
     * the limit gets an error line at once; its solve is asked to stop (SparseMAP stops before its next iteration, a
     * single decoding pass runs to its end, its size bounded by --max-size) and the next instance starts when it has.
     */
    private static final class Worker implements AutoCloseable {
        private final double seconds;
        private final long nanos;
        private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "solve-worker");
            t.setDaemon(true);
            return t;
        });
        /** Counted down when the last instance's solve has returned (also after its time was up). */
        private CountDownLatch previous = new CountDownLatch(0);

        Worker(double seconds) {
            this.seconds = seconds;
            this.nanos = (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0);
        }

        ObjectNode solve(InstanceSolver engine, String line) throws InterruptedException {
            previous.await();
            CountDownLatch done = new CountDownLatch(1);
            previous = done;
            InstanceSolver.Budget budget = new InstanceSolver.Budget();
            Future<ObjectNode> f = pool.submit(() -> {
                try {
                    return engine.solveLine(line, budget);
                } finally {
                    done.countDown();
                }
            });
            try {
                return f.get(nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                budget.stop();
                f.cancel(true);
                int calls = budget.oracleCalls();
                String progress = calls > 0 ? " (SparseMAP had called its MAP oracle " + calls + " times)" : "";
                String limit = BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
                return InstanceSolver.error(id(line), "time limit exceeded: not solved within " + limit + " s"
                        + progress + "; raise --time-limit (seconds, 0 for none), or split the instance");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("solve failed: " + cause, cause);
            }
        }

        /** The instance's JSON for its id, or null when the line is not JSON. */
        private static JsonNode id(String line) {
            try {
                return InstanceSolver.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        @Override
        public void close() {
            pool.shutdownNow(); // a solve still running stops at its next SparseMAP iteration or pass end
        }
    }
}
