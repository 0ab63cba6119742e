package io.github.sparsestruct.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.sparsestruct.inference.Enumerate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code solve} contract, end to end on JSON: every method's value, marginals and support checked against
 * brute-force enumeration of the structures of small random instances.
 */
class SolveCommandTest {
    private final InstanceSolver solver = new InstanceSolver("active-set", 1000, 1e-10);

    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    static double[][] randomMatrix(Random rnd, int r, int c, boolean ties) {
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                m[i][j] = ties ? rnd.nextInt(3) - 1 : rnd.nextGaussian();
            }
        }
        return m;
    }

    static ArrayNode json(double[][] m) {
        ArrayNode a = InstanceSolver.MAPPER.createArrayNode();
        for (double[] row : m) {
            ArrayNode r = a.addArray();
            for (double x : row) {
                r.add(x);
            }
        }
        return a;
    }

    static ObjectNode instance(String structure, String method) {
        ObjectNode o = InstanceSolver.MAPPER.createObjectNode();
        o.put("id", structure + "/" + method);
        o.put("structure", structure);
        o.put("method", method);
        return o;
    }

    static double seqScore(int[] y, double[][] u, double[][][] tr, double[] start, double[] end) {
        double s = start[y[0]] + end[y[y.length - 1]];
        for (int t = 0; t < y.length; t++) {
            s += u[t][y[t]];
            if (t + 1 < y.length) {
                s += tr[t][y[t]][y[t + 1]];
            }
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sequenceMethodsMatchEnumeration(int seed) {
        Random rnd = new Random(seed);
        int T = 1 + rnd.nextInt(5);
        int S = 1 + rnd.nextInt(3);
        boolean ties = seed % 4 == 0;
        double[][] u = randomMatrix(rnd, T, S, ties);
        boolean shared = seed % 2 == 0;
        double[][][] tr = new double[Math.max(T - 1, 0)][][];
        double[][] sharedTr = randomMatrix(rnd, S, S, ties);
        for (int t = 0; t < T - 1; t++) {
            tr[t] = shared ? sharedTr : randomMatrix(rnd, S, S, ties);
        }
        double[] start = randomMatrix(rnd, 1, S, ties)[0];
        double[] end = randomMatrix(rnd, 1, S, ties)[0];
        double gamma = seed % 3 == 0 ? 0.5 : 1.0;
        List<int[]> all = Enumerate.sequences(T, S);
        double[] scores = all.stream().mapToDouble(y -> seqScore(y, u, tr, start, end)).toArray();
        for (String method : new String[] {"map", "sparsemap", "marginals", "dp_entropy", "dp_l2"}) {
            ObjectNode in = instance("sequence", method);
            in.set("unary", json(u));
            if (shared) {
                in.set("transition", json(sharedTr));
            } else if (T > 1) {
                ArrayNode t3 = in.putArray("transition");
                for (double[][] m : tr) {
                    t3.add(json(m));
                }
            }
            in.set("start", json(new double[][] {start}).get(0));
            in.set("end", json(new double[][] {end}).get(0));
            in.put("gamma", gamma);
            ObjectNode out = solver.solve(in);
            assertThat(out.has("error")).as(out.toString()).isFalse();
            assertThat(out.get("id").asText()).isEqualTo("sequence/" + method);
            JsonNode marg = out.get("marginals");
            assertThat(marg.size()).isEqualTo(T);
            for (int t = 0; t < T; t++) {
                double rowSum = 0;
                for (int s = 0; s < S; s++) {
                    rowSum += marg.get(t).get(s).asDouble();
                }
                assertThat(rowSum).isCloseTo(1.0, within(1e-9));
            }
            switch (method) {
                case "map" -> {
                    double best = max(scores);
                    assertThat(out.get("value").asDouble()).isCloseTo(best, within(1e-9));
                    int[] y = ints(out.get("support").get(0).get("structure"));
                    assertThat(seqScore(y, u, tr, start, end)).isCloseTo(best, within(1e-9));
                    assertThat(out.get("support").get(0).get("weight").asDouble()).isEqualTo(1.0);
                }
                case "sparsemap" -> checkSparseMap(out, gamma, y -> seqScore(ints(y), u, tr, start, end),
                        y -> unaryIndicator(ints(y), S), T * S);
                case "marginals", "dp_entropy" -> {
                    double logZ = Enumerate.logSumExp(scores, gamma);
                    assertThat(out.get("value").asDouble()).isCloseTo(logZ, within(1e-9));
                    for (int t = 0; t < T; t++) {
                        for (int s = 0; s < S; s++) {
                            double p = 0;
                            for (int k = 0; k < all.size(); k++) {
                                if (all.get(k)[t] == s) {
                                    p += Math.exp((scores[k] - logZ) / gamma);
                                }
                            }
                            assertThat(marg.get(t).get(s).asDouble()).isCloseTo(p, within(1e-9));
                        }
                    }
                }
                default -> {
                    // dp_l2: Vit_Ω lies within (T+1)·γ/2 below the best score
                    double v = out.get("value").asDouble();
                    assertThat(v).isLessThanOrEqualTo(max(scores) + 1e-9);
                    assertThat(v).isGreaterThanOrEqualTo(max(scores) - (T + 1) * gamma / 2 - 1e-9);
                }
            }
        }
    }

    static double[] unaryIndicator(int[] y, int S) {
        double[] u = new double[y.length * S];
        for (int t = 0; t < y.length; t++) {
            u[t * S + y[t]] = 1;
        }
        return u;
    }

    interface Scorer {
        double score(JsonNode structure);
    }

    interface Indicator {
        double[] of(JsonNode structure);
    }

    /** Support weights sum to 1, marginals are Σ w·indicator, value = Σ w·score − (γ/2)‖u‖². */
    static void checkSparseMap(ObjectNode out, double gamma, Scorer scorer, Indicator indicator, int dim) {
        double[] u = new double[dim];
        double lin = 0;
        double wsum = 0;
        for (JsonNode e : out.get("support")) {
            double w = e.get("weight").asDouble();
            assertThat(w).isGreaterThan(0);
            wsum += w;
            lin += w * scorer.score(e.get("structure"));
            double[] ind = indicator.of(e.get("structure"));
            for (int i = 0; i < dim; i++) {
                u[i] += w * ind[i];
            }
        }
        assertThat(wsum).isCloseTo(1.0, within(1e-12));
        double[] marg = flat(out.get("marginals"));
        assertThat(marg).containsExactly(u, within(1e-9));
        double sq = 0;
        for (double x : u) {
            sq += x * x;
        }
        assertThat(out.get("value").asDouble()).isCloseTo(lin - gamma / 2 * sq, within(1e-9));
        assertThat(out.get("iterations").asInt()).isGreaterThan(0);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void treeMethodsMatchEnumeration(int seed) {
        Random rnd = new Random(100 + seed);
        int n = 1 + rnd.nextInt(4);
        double[][] arcs = randomMatrix(rnd, n + 1, n + 1, seed % 4 == 0);
        boolean singleRoot = seed % 2 == 0;
        for (String structure : new String[] {"tree", "projective_tree"}) {
            List<int[]> all = Enumerate.trees(n, structure.equals("projective_tree"), singleRoot);
            double[] scores = all.stream().mapToDouble(h -> treeScore(h, arcs)).toArray();
            for (String method : new String[] {"map", "sparsemap", "marginals"}) {
                ObjectNode in = instance(structure, method);
                in.set("arcs", json(arcs));
                in.put("single_root", singleRoot);
                ObjectNode out = solver.solve(in);
                assertThat(out.has("error")).as(out.toString()).isFalse();
                double[] marg = flat(out.get("marginals"));
                for (int m = 1; m <= n; m++) {
                    double col = 0;
                    for (int h = 0; h <= n; h++) {
                        col += marg[h * (n + 1) + m];
                    }
                    assertThat(col).isCloseTo(1.0, within(1e-9));
                }
                switch (method) {
                    case "map" -> {
                        assertThat(out.get("value").asDouble()).isCloseTo(max(scores), within(1e-9));
                        int[] h = ints(out.get("support").get(0).get("structure"));
                        assertThat(all).anySatisfy(t -> assertThat(t).containsExactly(h));
                        assertThat(treeScore(h, arcs)).isCloseTo(max(scores), within(1e-9));
                    }
                    case "sparsemap" -> {
                        checkSparseMap(out, 1.0, s -> treeScore(ints(s), arcs), s -> arcIndicator(ints(s)),
                                (n + 1) * (n + 1));
                        for (JsonNode e : out.get("support")) {
                            int[] h = ints(e.get("structure"));
                            assertThat(all).anySatisfy(t -> assertThat(t).containsExactly(h));
                        }
                    }
                    default -> assertThat(out.get("value").asDouble())
                            .isCloseTo(Enumerate.logSumExp(scores, 1.0), within(1e-9));
                }
            }
        }
    }

    static double treeScore(int[] heads, double[][] arcs) {
        double s = 0;
        for (int m = 1; m <= heads.length; m++) {
            s += arcs[heads[m - 1]][m];
        }
        return s;
    }

    static double[] arcIndicator(int[] heads) {
        int n1 = heads.length + 1;
        double[] u = new double[n1 * n1];
        for (int m = 1; m <= heads.length; m++) {
            u[heads[m - 1] * n1 + m] = 1;
        }
        return u;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchingAndAlignmentMethodsMatchEnumeration(int seed) {
        Random rnd = new Random(200 + seed);
        int m = 1 + rnd.nextInt(4);
        int k = 1 + rnd.nextInt(4);
        double[][] sc = randomMatrix(rnd, m, k, seed % 4 == 0);
        List<int[]> matchings = Enumerate.matchings(m, k);
        double best = matchings.stream().mapToDouble(c -> matchScore(c, sc)).max().orElseThrow();
        ObjectNode in = instance("matching", "map");
        in.set("scores", json(sc));
        ObjectNode out = solver.solve(in);
        assertThat(out.get("value").asDouble()).isCloseTo(best, within(1e-9));
        in.put("method", "sparsemap");
        out = solver.solve(in);
        checkSparseMap(out, 1.0, s -> pairsScore(s, sc), s -> pairsIndicator(s, m, k), m * k);

        int na = 1 + rnd.nextInt(4);
        int nb = 1 + rnd.nextInt(5);
        double[][] c = randomMatrix(rnd, na, nb, false);
        List<int[]> paths = Enumerate.alignments(na, nb);
        double[] costs = paths.stream().mapToDouble(p -> pathCost(p, c, nb)).toArray();
        double gamma = 0.7;
        for (String method : new String[] {"map", "sparsemap", "marginals", "dp_entropy", "dp_l2"}) {
            ObjectNode a = instance("alignment", method);
            a.set("costs", json(c));
            a.put("gamma", gamma);
            ObjectNode r = solver.solve(a);
            assertThat(r.has("error")).as(r.toString()).isFalse();
            double[] neg = new double[costs.length];
            for (int i = 0; i < neg.length; i++) {
                neg[i] = -costs[i];
            }
            switch (method) {
                case "map" -> assertThat(r.get("value").asDouble()).isCloseTo(-max(neg), within(1e-9));
                case "sparsemap" -> checkSparseMap(r, gamma, s -> -cellsCost(s, c), s -> cellsIndicator(s, na, nb),
                        na * nb);
                case "marginals" -> assertThat(r.get("value").asDouble())
                        .isCloseTo(Enumerate.logSumExp(neg, gamma), within(1e-9));
                case "dp_entropy" -> assertThat(r.get("value").asDouble())
                        .isCloseTo(-Enumerate.logSumExp(neg, gamma), within(1e-9));
                default -> assertThat(r.get("value").asDouble()).isGreaterThanOrEqualTo(-max(neg) - 1e-9);
            }
        }
    }

    static double matchScore(int[] colOfRow, double[][] sc) {
        double s = 0;
        for (int r = 0; r < colOfRow.length; r++) {
            if (colOfRow[r] >= 0) {
                s += sc[r][colOfRow[r]];
            }
        }
        return s;
    }

    static double pairsScore(JsonNode pairs, double[][] sc) {
        double s = 0;
        for (JsonNode p : pairs) {
            s += sc[p.get(0).asInt()][p.get(1).asInt()];
        }
        return s;
    }

    static double[] pairsIndicator(JsonNode pairs, int m, int k) {
        double[] u = new double[m * k];
        for (JsonNode p : pairs) {
            u[p.get(0).asInt() * k + p.get(1).asInt()] = 1;
        }
        return u;
    }

    static double pathCost(int[] cells, double[][] c, int nb) {
        double s = 0;
        for (int cell : cells) {
            s += c[cell / nb][cell % nb];
        }
        return s;
    }

    static double cellsCost(JsonNode cells, double[][] c) {
        double s = 0;
        for (JsonNode p : cells) {
            s += c[p.get(0).asInt()][p.get(1).asInt()];
        }
        return s;
    }

    static double[] cellsIndicator(JsonNode cells, int na, int nb) {
        double[] u = new double[na * nb];
        for (JsonNode p : cells) {
            u[p.get(0).asInt() * nb + p.get(1).asInt()] = 1;
        }
        return u;
    }

    static double max(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    static int[] ints(JsonNode a) {
        int[] x = new int[a.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = a.get(i).asInt();
        }
        return x;
    }

    static double[] flat(JsonNode m) {
        List<Double> out = new ArrayList<>();
        for (JsonNode row : m) {
            for (JsonNode x : row) {
                out.add(x.asDouble());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void negativeInfinityIsAcceptedInEveryDocumentedSpelling() {
        for (String ninf : new String[] {"-Infinity", "\"-inf\"", "\"-Infinity\"", "null"}) {
            String line = "{\"id\": 7, \"structure\": \"sequence\", \"method\": \"map\", \"unary\": [[" + ninf
                    + ", 1.0], [2.0, " + ninf + "]]}";
            ObjectNode out = solver.solveLine(line);
            assertThat(out.has("error")).as(ninf).isFalse();
            assertThat(out.get("id").asInt()).isEqualTo(7);
            assertThat(ints(out.get("support").get(0).get("structure"))).containsExactly(1, 0);
            assertThat(out.get("value").asDouble()).isEqualTo(3.0);
        }
    }

    @Test
    void badInstancesGetAnErrorNamingTheProblemAndEchoTheirId() {
        String[][] cases = {
            {"{\"id\": \"a\", \"structure\": \"sequence\", \"method\": \"map\", \"unary\": [[NaN, 1]]}", "NaN"},
            {"{\"id\": \"b\", \"structure\": \"sequence\", \"method\": \"map\", \"unary\": [[1, 2], [3]]}", "ragged"},
            {"{\"id\": \"c\", \"structure\": \"forest\", \"method\": \"map\"}", "unknown structure"},
            {"{\"id\": \"d\", \"structure\": \"tree\", \"method\": \"viterbi\", \"arcs\": [[0, 1], [0, 0]]}",
                "unknown method"},
            {"{\"id\": \"e\", \"structure\": \"matching\", \"method\": \"map\"}", "missing key 'scores'"},
            {"{\"id\": \"f\", \"structure\": \"tree\", \"method\": \"dp_l2\", \"arcs\": [[0, 1], [0, 0]]}",
                "dp_l2 applies to sequence and alignment"},
            {"{\"id\": \"g\", \"structure\": \"sequence\", \"method\": \"map\", \"unary\": [[-Infinity, -Infinity]]}",
                "no feasible structure"},
            {"{\"id\": \"h\", \"structure\": \"sequence\", \"method\": \"sparsemap\", \"gamma\": 0, \"unary\": [[1]]}",
                "gamma"},
            {"{\"id\": \"i\", \"structure\": \"matching\", \"method\": \"marginals\", \"scores\": [[1]]}", "#P-hard"},
            {"{\"id\": \"j\", \"structure\": \"sequence\", \"method\": \"map\", \"unary\": [[1, 2]],"
                + " \"transition\": [[1]]}", "2x2"},
        };
        for (String[] c : cases) {
            ObjectNode out = solver.solveLine(c[0]);
            assertThat(out.has("error")).as(c[0]).isTrue();
            assertThat(out.get("error").asText()).as(c[0]).contains(c[1]);
            assertThat(out.get("id").asText()).isEqualTo(InstanceSolver.MAPPER.valueToTree(
                    solver.solveLine(c[0]).get("id")).asText());
        }
        ObjectNode broken = solver.solveLine("{not json");
        assertThat(broken.get("error").asText()).startsWith("invalid JSON");
        assertThat(broken.get("id").isNull()).isTrue();
    }

    @Test
    void commandReadsEveryLineAndWritesOneLinePerInstanceEvenAfterErrors(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Path out = dir.resolve("out.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"id\": 1, \"structure\": \"matching\", \"method\": \"map\", \"scores\": [[1, 0], [0, 1]]}",
                "garbage",
                "",
                "{\"id\": 3, \"structure\": \"alignment\", \"method\": \"map\", \"costs\": [[0, 5], [5, 0]]}"),
                StandardCharsets.UTF_8);
        int rc = Main.run("solve", in.toString(), "-o", out.toString());
        assertThat(rc).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3);
        JsonNode first = InstanceSolver.MAPPER.readTree(lines.get(0));
        assertThat(first.get("value").asDouble()).isEqualTo(2.0);
        assertThat(InstanceSolver.MAPPER.readTree(lines.get(1)).has("error")).isTrue();
        JsonNode third = InstanceSolver.MAPPER.readTree(lines.get(2));
        assertThat(third.get("id").asInt()).isEqualTo(3);
        assertThat(third.get("support").get(0).get("structure").toString()).isEqualTo("[[0,0],[1,1]]");
        assertThat(Main.run("solve", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
    }
}
