package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code solve}'s limits, end to end through the command line: the size limit per structure ({@code --max-size},
 * checked before solving), the time limit per instance ({@code --time-limit}), the warning of an unconverged
 * SparseMAP solve, and a one-position sequence with {@code "transition": []}. An instance over a limit gets an
 * error line and the run goes on; good instances are written exactly as before the limits existed.
 */
class SolveLimitsTest {
    @TempDir
    Path dir;

    private int lineNo;

    /** Runs {@code solve} on the instances and returns its output lines. */
    private List<JsonNode> solve(List<String> instances, String... options) throws IOException {
        List<String> raw = solveRaw(instances, options);
        List<JsonNode> out = new ArrayList<>();
        for (String l : raw) {
            out.add(InstanceSolver.MAPPER.readTree(l));
        }
        return out;
    }

    private List<String> solveRaw(List<String> instances, String... options) throws IOException {
        Path in = dir.resolve("in" + lineNo + ".jsonl");
        Path out = dir.resolve("out" + lineNo + ".jsonl");
        lineNo++;
        Files.writeString(in, String.join("\n", instances) + "\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("solve", in.toString(), "-o", out.toString()));
        args.addAll(List.of(options));
        int rc = Main.run(args.toArray(String[]::new));
        assertThat(rc).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String square(String id, String structure, String method, String key, int rows, int cols,
                                 long seed, String extra) {
        Random rnd = new Random(seed);
        StringBuilder b = new StringBuilder();
        b.append("{\"id\": \"").append(id).append("\", \"structure\": \"").append(structure)
                .append("\", \"method\": \"").append(method).append("\", \"").append(key).append("\": [");
        for (int i = 0; i < rows; i++) {
            b.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < cols; j++) {
                b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rnd.nextGaussian()));
            }
            b.append(']');
        }
        return b.append(']').append(extra).append('}').toString();
    }

    private static String tree(String id, String method, int n, long seed) {
        return square(id, "tree", method, "arcs", n + 1, n + 1, seed, "");
    }

    private static final String SMALL_MATCHING =
            "{\"id\": \"small\", \"structure\": \"matching\", \"method\": \"map\", \"scores\": [[1, 0], [0, 1]]}";

    // ---- size limits ----

    @Test
    void instancesOverTheDefaultSizeLimitsGetAnErrorLineAndTheRunGoesOn() throws IOException {
        List<String> in = List.of(
                SMALL_MATCHING,
                tree("tree1001", "map", 1001, 1),
                square("proj501", "projective_tree", "map", "arcs", 502, 502, 2, ""),
                square("match", "matching", "map", "scores", 1001, 1000, 3, ""),
                square("align", "alignment", "map", "costs", 1000, 1001, 4, ""),
                square("seq", "sequence", "map", "unary", 1000, 101, 5, ""),
                SMALL_MATCHING);
        // with no time limit: an error here means the instance was refused, not stopped
        List<JsonNode> out = solve(in, "--time-limit", "0");
        assertThat(out).hasSize(7);
        assertThat(out.get(0).get("value").asDouble()).isEqualTo(2.0);
        assertThat(out.get(1).get("id").asText()).isEqualTo("tree1001");
        assertThat(out.get(1).get("error").asText()).isEqualTo("a tree of n=1001 words is over the size limit of "
                + "tree, n <= 1000; raise it with --max-size tree=N (0 for no limit), or split the instance");
        assertThat(out.get(2).get("error").asText()).isEqualTo("a projective_tree of n=501 words is over the size "
                + "limit of projective_tree, n <= 500; raise it with --max-size projective_tree=N (0 for no limit), "
                + "or split the instance");
        assertThat(out.get(3).get("error").asText()).isEqualTo("a 1001x1000 matching (m·k = 1001000) is over the "
                + "size limit of matching, m·k <= 1000000; raise it with --max-size matching=N (0 for no limit), or "
                + "split the instance");
        assertThat(out.get(4).get("error").asText()).startsWith("a 1000x1001 alignment (NA·NB = 1001000) is over "
                + "the size limit of alignment, NA·NB <= 1000000; raise it with --max-size alignment=N");
        assertThat(out.get(5).get("error").asText()).startsWith("a sequence of T=1000 positions and S=101 tags "
                + "(T·S·S = 10201000) is over the size limit of sequence, T·S·S <= 10000000; raise it with "
                + "--max-size sequence=N");
        assertThat(out.get(6).get("value").asDouble()).isEqualTo(2.0);
        for (int i = 1; i <= 5; i++) {
            assertThat(out.get(i).has("value")).isFalse();
        }
    }

    @Test
    void maxSizeOptionRaisesLowersOrRemovesALimit() throws IOException {
        List<String> in = List.of(tree("n5", "map", 5, 1), tree("n6", "map", 6, 2), tree("n1001", "map", 1001, 3));
        List<JsonNode> lowered = solve(in, "--max-size", "tree=5");
        assertThat(lowered.get(0).has("error")).as(lowered.get(0).toString()).isFalse();
        assertThat(lowered.get(1).get("error").asText()).startsWith("a tree of n=6 words is over the size limit of "
                + "tree, n <= 5;");
        assertThat(lowered.get(2).get("error").asText()).contains("n <= 5");
        List<JsonNode> none = solve(in, "--max-size", "tree=0", "--max-size", "matching=7", "--time-limit", "300");
        assertThat(none).allSatisfy(o -> assertThat(o.has("error")).as(o.toString().substring(0, 40)).isFalse());
        assertThat(none.get(2).get("support").get(0).get("structure")).hasSize(1001);
        // the other structures keep their defaults
        List<JsonNode> other = solve(List.of(square("m", "matching", "map", "scores", 3, 3, 1, ""),
                square("p", "projective_tree", "map", "arcs", 502, 502, 2, "")), "--max-size", "matching=8");
        assertThat(other.get(0).get("error").asText()).contains("m·k <= 8");
        assertThat(other.get(1).get("error").asText()).contains("n <= 500");
    }

    @Test
    void badLimitOptionsAreUsageErrors() {
        assertThat(Main.run("solve", "--max-size", "forest=3", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(Main.run("solve", "--max-size", "tree=-1", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(Main.run("solve", "--max-size", "tree=many", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(Main.run("solve", "--time-limit", "-1", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(Main.run("solve", "--time-limit", "NaN", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(Main.run("solve", "--time-limit", "Infinity", dir.resolve("none.jsonl").toString())).isEqualTo(2);
    }

    @Test
    void helpStatesTheDefaultSizeLimits() {
        String help = new CommandLine(new SolveCommand()).getUsageMessage().replaceAll("\\s+", " ");
        InstanceSolver.DEFAULT_MAX_SIZE.forEach((structure, limit) -> assertThat(help)
                .contains(structure + "=" + limit + " (" + InstanceSolver.SIZE_MEASURE.get(structure) + ")"));
        assertThat(help).contains("--time-limit=SECONDS time limit per instance in seconds (default 10; 0: none)");
    }

    // ---- time limit ----

    @Test
    void sparseMapOverTheTimeLimitIsStoppedWithAnErrorLineAndTheRunGoesOn() {
        // tol 0 and a million iterations: unstopped, this solve would run for an hour
        List<String> in = List.of(SMALL_MATCHING, tree("slow", "sparsemap", 300, 7), SMALL_MATCHING);
        // (the next instance waits for the stopped solve, so finishing at all shows that it stopped)
        List<JsonNode> out = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> solve(in, "--time-limit", "1", "--tol", "0", "--max-iter", "1000000"));
        assertThat(out).hasSize(3);
        assertThat(out.get(0).get("value").asDouble()).isEqualTo(2.0);
        assertThat(out.get(1).get("id").asText()).isEqualTo("slow");
        assertThat(out.get(1).has("value")).isFalse();
        String error = out.get(1).get("error").asText();
        // how far SparseMAP got is said when it had started (on a loaded machine parsing may take the second)
        assertThat(error).matches("time limit exceeded: not solved within 1 s( \\(SparseMAP had called its MAP "
                + "oracle \\d+ times\\))?; raise --time-limit \\(seconds, 0 for none\\), or split the instance");
        assertThat(out.get(2).get("value").asDouble()).isEqualTo(2.0);
    }

    @Test
    void aStoppedBudgetEndsSparseMapBeforeItsNextIteration() throws Exception {
        InstanceSolver engine = new InstanceSolver("active-set", 1_000_000, 0);
        InstanceSolver.Budget budget = new InstanceSolver.Budget();
        String line = tree("slow", "sparsemap", 200, 11);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ObjectNode> f = pool.submit(() -> engine.solveLine(line, budget));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (budget.oracleCalls() < 5) {
                    Thread.sleep(5);
                }
            });
            budget.stop();
            ObjectNode out = f.get(60, TimeUnit.SECONDS);
            assertThat(out.get("id").asText()).isEqualTo("slow");
            assertThat(out.get("error").asText()).matches("time limit exceeded: the solve was stopped after \\d+ "
                    + "SparseMAP oracle calls");
            assertThat(budget.oracleCalls()).isGreaterThanOrEqualTo(5).isLessThan(1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDecodingPassOverTheTimeLimitGetsAnErrorLineAndTheNextInstanceWaitsForIt() {
        // matrix-tree marginals of a 600-word tree: one pass of O(n^3), which cannot be interrupted
        List<String> in = List.of(tree("pass", "marginals", 600, 8), SMALL_MATCHING,
                "{\"id\": \"late\", \"structure\": \"tree\", \"method\": \"map\", \"arcs\": [[0, 1], [0, 0]]}");
        List<JsonNode> out = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> solve(in, "--time-limit", "0.05"));
        assertThat(out.get(0).get("error").asText()).isEqualTo("time limit exceeded: not solved within 0.05 s; "
                + "raise --time-limit (seconds, 0 for none), or split the instance");
        assertThat(out.get(1).get("value").asDouble()).isEqualTo(2.0);
        assertThat(out.get(2).get("support").get(0).get("structure").toString()).isEqualTo("[0]");
    }

    @Test
    void unparsableLineStillGetsItsErrorWithATimeLimit() throws IOException {
        List<JsonNode> out = solve(List.of("{not json", SMALL_MATCHING), "--time-limit", "5");
        assertThat(out.get(0).get("error").asText()).startsWith("invalid JSON");
        assertThat(out.get(0).get("id").isNull()).isTrue();
        assertThat(out.get(1).get("value").asDouble()).isEqualTo(2.0);
    }

    // ---- convergence ----

    @Test
    void unconvergedSparseMapSaysSoInItsWarningField() throws IOException {
        List<JsonNode> out = solve(List.of(tree("few", "sparsemap", 30, 9), tree("many", "sparsemap", 3, 9)),
                "--max-iter", "3");
        JsonNode few = out.get(0);
        assertThat(few.get("converged").asBoolean()).isFalse();
        assertThat(few.get("iterations").asInt()).isEqualTo(3);
        assertThat(few.get("warning").asText()).isEqualTo("not converged after 3 iterations (--max-iter 3), duality "
                + "gap " + String.format(Locale.ROOT, "%.3g", few.get("gap").asDouble()) + ", tolerance 1.00e-09; the "
                + "solution is approximate: raise --max-iter or --tol");
        assertThat(few.has("error")).isFalse();
        assertThat(few.get("support").size()).isPositive();
        // the warning is the last field: the fields before it are as they were
        List<String> names = new ArrayList<>();
        few.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "value", "marginals", "support", "iterations", "gap", "converged",
                "warning");
        JsonNode converged = solve(List.of(tree("ok", "sparsemap", 3, 9))).get(0);
        assertThat(converged.get("converged").asBoolean()).isTrue();
        assertThat(converged.has("warning")).isFalse();
    }

    // ---- "transition": [] ----

    @Test
    void oneInstanceSequenceAcceptsAnEmptyPositionDependentTransition() throws IOException {
        for (String method : new String[] {"map", "sparsemap", "marginals", "dp_entropy", "dp_l2"}) {
            String base = "{\"id\": \"one\", \"structure\": \"sequence\", \"method\": \"" + method + "\", "
                    + "\"unary\": [[0.5, 2.0, -1.0]], \"start\": [0, 0.25, 0], \"end\": [1, 0, 0]";
            List<String> raw = solveRaw(List.of(base + ", \"transition\": []}", base + "}"));
            assertThat(InstanceSolver.MAPPER.readTree(raw.get(0)).has("error")).as(method + ": " + raw.get(0))
                    .isFalse();
            assertThat(raw.get(0)).as(method).isEqualTo(raw.get(1));
        }
        JsonNode map = solve(List.of("{\"id\": 1, \"structure\": \"sequence\", \"method\": \"map\", "
                + "\"unary\": [[0.5, 2.0, -1.0]], \"transition\": []}")).get(0);
        assertThat(map.get("value").asDouble()).isEqualTo(2.0);
        assertThat(map.get("support").get(0).get("structure").toString()).isEqualTo("[1]");
        // for T > 1, [] holds no slice where T-1 are needed
        JsonNode two = solve(List.of("{\"id\": 2, \"structure\": \"sequence\", \"method\": \"map\", "
                + "\"unary\": [[0.5, 2.0], [1, 0]], \"transition\": []}")).get(0);
        assertThat(two.get("error").asText()).isEqualTo("position-dependent transition must be (T-1)xSxS with "
                + "T-1=1 slices, got 0");
    }

    // ---- output of good instances ----

    @Test
    void goodInstancesAreWrittenByteForByteAsBeforeTheLimits() throws IOException {
        // the lines the command wrote before --max-size and --time-limit existed
        String[][] cases = {
            {"{\"id\":1,\"structure\":\"matching\",\"method\":\"sparsemap\",\"scores\":[[1,0.9],[0.8,1]]}",
                "{\"id\":1,\"value\":1.36125,\"marginals\":[[0.575,0.42500000000000004],[0.42500000000000004,0.575]],"
                    + "\"support\":[{\"weight\":0.575,\"structure\":[[0,0],[1,1]]},{\"weight\":0.42500000000000004,"
                    + "\"structure\":[[0,1],[1,0]]}],\"iterations\":2,\"gap\":0.0,\"converged\":true}"},
            {"{\"id\":\"s\",\"structure\":\"sequence\",\"method\":\"sparsemap\",\"unary\":[[1,0.5],[0,0.25]],"
                + "\"transition\":[[0,1],[0.5,0]]}",
                "{\"id\":\"s\",\"value\":1.3203125,\"marginals\":[[0.8125,0.1875],[0.1875,0.8125]],\"support\":"
                    + "[{\"weight\":0.8125,\"structure\":[0,1]},{\"weight\":0.1875,\"structure\":[1,0]}],"
                    + "\"iterations\":2,\"gap\":0.0,\"converged\":true}"},
            {"{\"id\":\"t\",\"structure\":\"tree\",\"method\":\"marginals\",\"arcs\":[[0,1,0.5],[0,0,2],[0,0.25,0]]}",
                "{\"id\":\"t\",\"value\":3.100206558916747,\"marginals\":[[0.0,0.9046505351008906,0.0953494648991095],"
                    + "[0.0,0.0,0.9046505351008906],[0.0,0.09534946489910949,0.0]],\"support\":[]}"},
            {"{\"id\":\"a\",\"structure\":\"alignment\",\"method\":\"dp_l2\",\"costs\":[[0,1],[1,0]],\"gamma\":0.5}",
                "{\"id\":\"a\",\"value\":0.5,\"marginals\":[[1.0,0.0],[0.0,1.0]],\"support\":[]}"},
        };
        List<String> in = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (String[] c : cases) {
            in.add(c[0]);
            expected.add(c[1]);
        }
        assertThat(solveRaw(in)).containsExactlyElementsOf(expected);
        assertThat(solveRaw(in, "--time-limit", "0")).containsExactlyElementsOf(expected);
        assertThat(solveRaw(in, "--time-limit", "30", "--max-size", "tree=2")).containsExactlyElementsOf(expected);
    }

    @Test
    void limitsDoNotChangeTheResultsOfInstancesThatFinish() throws IOException {
        List<String> in = new ArrayList<>();
        for (int seed = 0; seed < 12; seed++) {
            in.add(tree("t" + seed, "sparsemap", 4 + seed, seed));
            in.add(square("m" + seed, "matching", "sparsemap", "scores", 3 + seed % 4, 5, seed, ""));
            in.add(square("a" + seed, "alignment", "sparsemap", "costs", 4, 2 + seed % 5, seed, ", \"gamma\": 0.5"));
            in.add(square("s" + seed, "sequence", "sparsemap", "unary", 2 + seed, 3, seed,
                    ", \"transition\": [[0, 1, 0], [0.5, 0, 0], [0, 0, 0.25]]"));
        }
        InstanceSolver plain = new InstanceSolver("active-set", 1000, 1e-9, Map.of());
        List<String> expected = new ArrayList<>();
        for (String line : in) {
            ObjectNode o = plain.solveLine(line);
            expected.add(InstanceSolver.MAPPER.writeValueAsString(o));
        }
        assertThat(solveRaw(in)).containsExactlyElementsOf(expected);
        assertThat(solveRaw(in, "--time-limit", "0")).containsExactlyElementsOf(expected);
    }
}
