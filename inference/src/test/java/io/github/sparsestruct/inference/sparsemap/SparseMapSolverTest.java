package io.github.sparsestruct.inference.sparsemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.sparsestruct.inference.Enumerate;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SparseMapSolverTest {

    static Stream<Integer> seeds() {
        return IntStream.range(0, 150).boxed();
    }

    /** All tag sequences of length T over S tags, as structures of the chain polytope (its layouts). */
    static List<Structure> allSequences(int T, int S) {
        SequencePolytope p = new SequencePolytope(T, S);
        List<Structure> out = new ArrayList<>();
        for (int[] tags : Enumerate.sequences(T, S)) {
            out.add(p.structure(tags));
        }
        return out;
    }

    static double[] randomScores(Random rnd, int n, boolean ties, double negInfRate) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ties ? rnd.nextInt(5) - 2 : rnd.nextGaussian() * 1.5;
            if (rnd.nextDouble() < negInfRate) {
                x[i] = Double.NEGATIVE_INFINITY;
            }
        }
        return x;
    }

    /** Random sets of binary vertices: many are affinely dependent, which exercises the swap step. */
    static List<Structure> randomVertices(Random rnd, int count, int du, int dv) {
        List<Structure> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Integer> uu = new ArrayList<>();
            for (int j = 0; j < du; j++) {
                if (rnd.nextBoolean()) {
                    uu.add(j);
                }
            }
            List<Integer> vv = new ArrayList<>();
            for (int j = 0; j < dv; j++) {
                if (rnd.nextInt(3) == 0) {
                    vv.add(j);
                }
            }
            out.add(new Structure(new int[] {i}, uu.stream().mapToInt(Integer::intValue).toArray(),
                    vv.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    static void assertDistribution(SparseMapResult r) {
        double sum = 0;
        for (double w : r.weights()) {
            assertThat(w).isGreaterThan(0);
            sum += w;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void oneOfKSparseMapEqualsSparsemax(int seed) {
        Random rnd = new Random(seed);
        int k = 1 + rnd.nextInt(7);
        double gamma = seed % 3 == 0 ? 0.5 : 1.0;
        double[] x = randomScores(rnd, k, seed % 2 == 0, 0.0);
        SparseMapResult r = new ActiveSetSolver(SparseMapOptions.DEFAULT.withGamma(gamma))
                .solve(ExplicitPolytope.oneOfK(k), x, null);
        double[] scaled = x.clone();
        for (int i = 0; i < k; i++) {
            scaled[i] /= gamma;
        }
        double[] expected = QpOracle.sparsemax(scaled);
        assertThat(r.u()).containsExactly(expected, within(1e-12));
        assertThat(r.converged()).isTrue();
        assertDistribution(r);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void activeSetSatisfiesOptimalityOnAllChains(int seed) {
        Random rnd = new Random(seed);
        int T = 1 + rnd.nextInt(4);
        int S = 1 + rnd.nextInt(3);
        List<Structure> all = allSequences(T, S);
        ExplicitPolytope poly = new ExplicitPolytope(all, T * S, (T - 1) * S * S + 2 * S);
        boolean ties = seed % 3 == 0;
        double[] eu = randomScores(rnd, T * S, ties, 0);
        double[] ev = randomScores(rnd, poly.extraDim(), ties, seed % 5 == 0 ? 0.2 : 0);
        if (all.stream().allMatch(y -> y.score(eu, ev) == Double.NEGATIVE_INFINITY)) {
            assertThatThrownBy(() -> new ActiveSetSolver().solve(poly, eu, ev))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no feasible structure");
            return;
        }
        double gamma = seed % 4 == 0 ? 0.3 : 1.0;
        SparseMapResult r = new ActiveSetSolver(SparseMapOptions.DEFAULT.withGamma(gamma)).solve(poly, eu, ev);
        assertThat(r.converged()).isTrue();
        assertDistribution(r);
        assertThat(QpOracle.kktViolation(all, r, eu, ev, gamma)).isLessThan(1e-8);
        List<Structure> feasible = all.stream().filter(y -> y.score(eu, ev) > Double.NEGATIVE_INFINITY).toList();
        double[] ref = QpOracle.solveU(feasible, T * S, eu, ev, gamma);
        assertThat(r.u()).containsExactly(ref, within(1e-6));
        // objective reported = objective of the reported distribution
        double lin = 0;
        for (int i = 0; i < r.support().size(); i++) {
            lin += r.weights()[i] * r.support().get(i).score(eu, ev);
        }
        assertThat(r.objective()).isCloseTo(lin - 0.5 * gamma * QpOracle.dot(r.u(), r.u()), within(1e-9));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void activeSetSolvesRandomDependentVertexSets(int seed) {
        Random rnd = new Random(1000 + seed);
        int du = 2 + rnd.nextInt(4);
        int dv = rnd.nextInt(3);
        List<Structure> verts = randomVertices(rnd, 3 + rnd.nextInt(12), du, dv);
        ExplicitPolytope poly = new ExplicitPolytope(verts, du, dv);
        double[] eu = randomScores(rnd, du, seed % 2 == 0, 0);
        double[] ev = randomScores(rnd, dv, seed % 2 == 0, 0);
        SparseMapResult r = new ActiveSetSolver().solve(poly, eu, ev);
        assertThat(r.converged()).isTrue();
        assertDistribution(r);
        assertThat(QpOracle.kktViolation(verts, r, eu, ev, 1.0)).isLessThan(1e-8);
        assertThat(r.u()).containsExactly(QpOracle.solveU(verts, du, eu, ev, 1.0), within(1e-6));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void frankWolfeVariantsReachTheActiveSetSolution(int seed) {
        Random rnd = new Random(2000 + seed);
        int T = 1 + rnd.nextInt(3);
        int S = 1 + rnd.nextInt(3);
        List<Structure> all = allSequences(T, S);
        ExplicitPolytope poly = new ExplicitPolytope(all, T * S, (T - 1) * S * S + 2 * S);
        double[] eu = randomScores(rnd, T * S, false, 0);
        double[] ev = randomScores(rnd, poly.extraDim(), false, 0);
        SparseMapResult exact = new ActiveSetSolver().solve(poly, eu, ev);
        SparseMapOptions opt = SparseMapOptions.DEFAULT.withMaxIterations(20000).withTolerance(1e-10);
        for (FrankWolfeSolver.Variant v : FrankWolfeSolver.Variant.values()) {
            SparseMapResult fw = new FrankWolfeSolver(v, opt).solve(poly, eu, ev);
            assertDistribution(fw);
            // vanilla Frank-Wolfe converges sublinearly; the away-step and pairwise variants linearly
            boolean vanilla = v == FrankWolfeSolver.Variant.VANILLA;
            assertThat(fw.objective()).as(v.name()).isCloseTo(exact.objective(), within(vanilla ? 1e-4 : 1e-7));
            assertThat(fw.u()).as(v.name()).containsExactly(exact.u(), within(vanilla ? 2e-2 : 1e-4));
            assertThat(fw.objective()).isLessThanOrEqualTo(exact.objective() + 1e-9);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void backwardMatchesFiniteDifferences(int seed) {
        Random rnd = new Random(3000 + seed);
        int T = 1 + rnd.nextInt(4);
        int S = 2 + rnd.nextInt(2);
        List<Structure> all = allSequences(T, S);
        ExplicitPolytope poly = new ExplicitPolytope(all, T * S, (T - 1) * S * S + 2 * S);
        double[] eu = randomScores(rnd, T * S, false, 0);
        double[] ev = randomScores(rnd, poly.extraDim(), false, 0);
        double gamma = seed % 2 == 0 ? 1.0 : 0.7;
        ActiveSetSolver solver = new ActiveSetSolver(SparseMapOptions.DEFAULT.withGamma(gamma).withTolerance(1e-13));
        SparseMapResult r = solver.solve(poly, eu, ev);
        double[] du = randomScores(rnd, eu.length, false, 0);
        double[] dv = randomScores(rnd, ev.length, false, 0);
        double[] jvpU = new double[eu.length];
        double[] jvpV = new double[ev.length];
        r.backward().jvp(du, dv, jvpU, jvpV);
        double eps = 1e-6;
        double[] euP = eu.clone();
        double[] euM = eu.clone();
        double[] evP = ev.clone();
        double[] evM = ev.clone();
        for (int i = 0; i < eu.length; i++) {
            euP[i] += eps * du[i];
            euM[i] -= eps * du[i];
        }
        for (int i = 0; i < ev.length; i++) {
            evP[i] += eps * dv[i];
            evM[i] -= eps * dv[i];
        }
        SparseMapResult rp = solver.solve(poly, euP, evP);
        SparseMapResult rm = solver.solve(poly, euM, evM);
        if (!sameSupport(rp, r) || !sameSupport(rm, r)) {
            return; // the support changes within ε: the Jacobian is not defined there
        }
        for (int i = 0; i < eu.length; i++) {
            assertThat(jvpU[i]).isCloseTo((rp.u()[i] - rm.u()[i]) / (2 * eps), within(1e-5));
        }
        for (int i = 0; i < ev.length; i++) {
            assertThat(jvpV[i]).isCloseTo((rp.v()[i] - rm.v()[i]) / (2 * eps), within(1e-5));
        }
        // the vector-Jacobian product is the adjoint: ⟨g, J d⟩ = ⟨Jᵀ g, d⟩
        double[] gu = randomScores(rnd, eu.length, false, 0);
        double[] gv = randomScores(rnd, ev.length, false, 0);
        double[] vu = new double[eu.length];
        double[] vv = new double[ev.length];
        r.backward().vjp(gu, gv, vu, vv);
        double lhs = QpOracle.dot(gu, jvpU) + QpOracle.dot(gv, jvpV);
        double rhs = QpOracle.dot(vu, du) + QpOracle.dot(vv, dv);
        assertThat(lhs).isCloseTo(rhs, within(1e-9));
    }

    private static boolean sameSupport(SparseMapResult a, SparseMapResult b) {
        return a.support().size() == b.support().size() && a.support().containsAll(b.support());
    }

    @Test
    void warmStartFromTheSolutionConvergesInOneOracleCall() {
        Random rnd = new Random(7);
        List<Structure> all = allSequences(4, 3);
        ExplicitPolytope poly = new ExplicitPolytope(all, 12, 3 * 9 + 6);
        double[] eu = randomScores(rnd, 12, false, 0);
        double[] ev = randomScores(rnd, poly.extraDim(), false, 0);
        SparseMapResult cold = new ActiveSetSolver().solve(poly, eu, ev);
        SparseMapResult warm = new ActiveSetSolver().solve(poly, eu, ev, cold.support(), cold.weights());
        assertThat(warm.iterations()).isEqualTo(1);
        assertThat(warm.u()).containsExactly(cold.u(), within(1e-12));
        // a warm start from an unrelated, dependent set still reaches the optimum
        SparseMapResult odd = new ActiveSetSolver().solve(poly, eu, ev, all.subList(0, 20), null);
        assertThat(odd.u()).containsExactly(cold.u(), within(1e-9));
    }

    @Test
    void nanAndPositiveInfinityScoresAreRejected() {
        ExplicitPolytope p = ExplicitPolytope.oneOfK(3);
        assertThatThrownBy(() -> new ActiveSetSolver().solve(p, new double[] {0, Double.NaN, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new ActiveSetSolver().solve(p, new double[] {0, Double.POSITIVE_INFINITY, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new ActiveSetSolver().solve(p, new double[] {0, 1}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 3");
    }

    @Test
    void negativeInfinityScoresGetZeroWeightAndAllInfiniteIsAnError() {
        ExplicitPolytope p = ExplicitPolytope.oneOfK(3);
        double ninf = Double.NEGATIVE_INFINITY;
        SparseMapResult r = new ActiveSetSolver().solve(p, new double[] {0.2, ninf, 0.1}, null);
        assertThat(r.u()).containsExactly(new double[] {0.55, 0, 0.45}, within(1e-12));
        assertThatThrownBy(() -> new ActiveSetSolver().solve(p, new double[] {ninf, ninf, ninf}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no feasible structure");
    }

    @Test
    void iterationLimitIsReportedAsNotConverged() {
        Random rnd = new Random(3);
        List<Structure> all = allSequences(4, 3);
        ExplicitPolytope poly = new ExplicitPolytope(all, 12, 3 * 9 + 6);
        double[] eu = randomScores(rnd, 12, false, 0);
        double[] ev = new double[poly.extraDim()];
        SparseMapResult r = new ActiveSetSolver(SparseMapOptions.DEFAULT.withMaxIterations(1)).solve(poly, eu, ev);
        assertThat(r.iterations()).isEqualTo(1);
        assertThat(r.converged()).isFalse();
        assertThat(r.gap()).isGreaterThan(0);
        assertDistribution(r);
    }
}
