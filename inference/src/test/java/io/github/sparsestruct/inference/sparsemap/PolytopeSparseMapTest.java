package io.github.sparsestruct.inference.sparsemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.Enumerate;
import io.github.sparsestruct.inference.polytope.AlignmentPolytope;
import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SparseMAP with the real MAP oracles (Viterbi, arborescence, Eisner, linear assignment, DTW) on every structure
 * type: the solution satisfies the QP's optimality conditions over all enumerated structures, equals an independent
 * QP solution, its support holds valid structures only, and its backward pass matches finite differences.
 */
class PolytopeSparseMapTest {
    static Stream<Integer> seeds() {
        return IntStream.range(0, 250).boxed();
    }

    record Case(StructuredPolytope poly, List<Structure> all, double[] etaU, double[] etaV) {
    }

    static double[] scores(Random rnd, int n, int seed) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = seed % 5 == 0 ? rnd.nextInt(5) - 2 : rnd.nextGaussian();
            if (seed % 7 == 0 && rnd.nextInt(6) == 0) {
                x[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return x;
    }

    static Case make(int seed) {
        Random rnd = new Random(seed);
        List<Structure> all = new ArrayList<>();
        switch (seed % 5) {
            case 0 -> {
                int T = 1 + rnd.nextInt(5);
                int S = 1 + rnd.nextInt(3);
                SequencePolytope p = new SequencePolytope(T, S);
                for (int[] y : Enumerate.sequences(T, S)) {
                    all.add(p.structure(y));
                }
                return new Case(p, all, scores(rnd, p.unaryDim(), seed), scores(rnd, p.extraDim(), seed));
            }
            case 1, 2 -> {
                int n = 1 + rnd.nextInt(4);
                boolean proj = seed % 5 == 2;
                boolean single = rnd.nextBoolean();
                TreePolytope p = new TreePolytope(n, proj, single);
                for (int[] h : Enumerate.trees(n, proj, single)) {
                    all.add(p.structure(h));
                }
                return new Case(p, all, scores(rnd, p.unaryDim(), seed), null);
            }
            case 3 -> {
                int m = 1 + rnd.nextInt(4);
                int k = 1 + rnd.nextInt(4);
                MatchingPolytope p = new MatchingPolytope(m, k);
                for (int[] c : Enumerate.matchings(m, k)) {
                    all.add(p.structure(c));
                }
                return new Case(p, all, scores(rnd, p.unaryDim(), seed), null);
            }
            default -> {
                int na = 1 + rnd.nextInt(4);
                int nb = 1 + rnd.nextInt(5);
                AlignmentPolytope p = new AlignmentPolytope(na, nb);
                for (int[] cells : Enumerate.alignments(na, nb)) {
                    all.add(p.structure(cells));
                }
                return new Case(p, all, scores(rnd, p.unaryDim(), seed), null);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sparseMapIsOptimalOverAllEnumeratedStructures(int seed) {
        Case c = make(seed);
        List<Structure> feasible = c.all().stream()
                .filter(s -> s.score(c.etaU(), c.etaV()) > Double.NEGATIVE_INFINITY).toList();
        if (feasible.isEmpty()) {
            return; // covered by the error tests
        }
        SparseMapResult r = new ActiveSetSolver().solve(c.poly(), c.etaU(), c.etaV());
        assertThat(r.converged()).isTrue();
        assertThat(c.all()).containsAll(r.support());
        double wsum = 0;
        for (double w : r.weights()) {
            wsum += w;
        }
        assertThat(wsum).isCloseTo(1.0, within(1e-12));
        assertThat(QpOracle.kktViolation(feasible, r, c.etaU(), c.etaV(), 1.0)).isLessThan(1e-8);
        assertThat(r.u()).containsExactly(QpOracle.solveU(feasible, c.poly().unaryDim(), c.etaU(), c.etaV(), 1.0),
                within(1e-6));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void backwardMatchesFiniteDifferencesWithRealOracles(int seed) {
        Case c = make(1000 + seed);
        Random rnd = new Random(seed);
        double[] eu = c.etaU().clone();
        for (int i = 0; i < eu.length; i++) {
            if (eu[i] != Double.NEGATIVE_INFINITY) {
                eu[i] += 1e-3 * rnd.nextGaussian(); // break integer ties: the Jacobian needs a stable support
            }
        }
        double[] ev = c.etaV();
        if (c.all().stream().allMatch(s -> s.score(eu, ev) == Double.NEGATIVE_INFINITY)) {
            return;
        }
        ActiveSetSolver solver = new ActiveSetSolver(SparseMapOptions.DEFAULT.withTolerance(1e-13));
        SparseMapResult r = solver.solve(c.poly(), eu, ev);
        double[] du = new double[eu.length];
        for (int i = 0; i < du.length; i++) {
            du[i] = eu[i] == Double.NEGATIVE_INFINITY ? 0 : rnd.nextGaussian();
        }
        double[] jvp = new double[eu.length];
        r.backward().jvp(du, null, jvp, null);
        double eps = 1e-7;
        double[] plus = eu.clone();
        double[] minus = eu.clone();
        for (int i = 0; i < eu.length; i++) {
            plus[i] += eps * du[i];
            minus[i] -= eps * du[i];
        }
        SparseMapResult rp = solver.solve(c.poly(), plus, ev);
        SparseMapResult rm = solver.solve(c.poly(), minus, ev);
        if (!rp.support().containsAll(r.support()) || !rm.support().containsAll(r.support())
                || rp.support().size() != r.support().size() || rm.support().size() != r.support().size()) {
            return; // the support changes within ε: no Jacobian there
        }
        for (int i = 0; i < eu.length; i++) {
            assertThat(jvp[i]).isCloseTo((rp.u()[i] - rm.u()[i]) / (2 * eps), within(1e-5));
        }
    }
}
