package io.github.sparsestruct.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparsestruct solve}: runs the inference core on JSON-lines instances. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Run a decoder on JSON-lines instances, one JSON line out per line in.",
            "Keys: id, structure (sequence, tree, projective_tree, matching,",
            "  alignment), method (map, sparsemap, marginals, dp_entropy, dp_l2),",
            "  gamma (default 1), and the scores: unary/transition/start/end",
            "  (sequence), arcs/single_root (trees), scores (matching), costs",
            "  (alignment). See README.md, section 'solve'."})
public final class SolveCommand implements Callable<Integer> {
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

    @Override
    public Integer call() throws IOException {
        InstanceSolver engine = new InstanceSolver(solver, maxIterations, tolerance);
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
        try (in; PrintWriter out = new PrintWriter(w)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode result = engine.solveLine(line);
                out.println(InstanceSolver.MAPPER.writeValueAsString(result));
                out.flush();
            }
        }
        return 0;
    }
}
