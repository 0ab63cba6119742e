package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.benchmarks.baseline.ActiveSetSolverBaseline;
import io.github.sparsestruct.benchmarks.baseline.SequencePolytopeBaseline;
import io.github.sparsestruct.benchmarks.baseline.TreePolytopeBaseline;
import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SparseMAP (active set) per solve on the instances: chain T=30, S=9 with position-dependent transitions;
 * non-projective tree n=25; 20×20 matching. Each invocation solves a fresh N(0,1) instance drawn from a pool of
 * 64, so the median is over instances, not one lucky draw. {@code solveBaseline} runs the pre-optimisation solver
 * and oracles ({@code benchmarks.baseline}) on the same pool, for new/old ratios within one run (the matching
 * polytope was not changed, so its baseline uses the current oracle with the old solver).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class SparseMapBench {
    /** chain, tree, tree1 (single root), matching. */
    @Param({"chain", "tree", "tree1", "matching"})
    public String instance;

    private StructuredPolytope polytope;
    private StructuredPolytope baselinePolytope;
    private double[][] etaU;
    private double[][] etaV;
    private int next;
    private final ActiveSetSolver solver = new ActiveSetSolver();
    private final ActiveSetSolverBaseline baseline = new ActiveSetSolverBaseline();

    @Setup(Level.Trial)
    public void setup() {
        Random rnd = new Random(42);
        int pool = 64;
        etaU = new double[pool][];
        etaV = new double[pool][];
        switch (instance) {
            case "chain" -> {
                SequencePolytope p = new SequencePolytope(30, 9);
                polytope = p;
                baselinePolytope = new SequencePolytopeBaseline(30, 9);
                for (int i = 0; i < pool; i++) {
                    etaU[i] = Instances.gaussian(rnd, p.unaryDim());
                    etaV[i] = p.packExtra(Instances.gaussian(rnd, 29 * 81), null, null);
                }
            }
            case "tree", "tree1" -> {
                polytope = new TreePolytope(25, false, instance.equals("tree1"));
                baselinePolytope = new TreePolytopeBaseline(25, false, instance.equals("tree1"));
                for (int i = 0; i < pool; i++) {
                    etaU[i] = Instances.gaussian(rnd, polytope.unaryDim());
                }
            }
            case "matching" -> {
                polytope = new MatchingPolytope(20, 20);
                baselinePolytope = new MatchingPolytope(20, 20);
                for (int i = 0; i < pool; i++) {
                    etaU[i] = Instances.gaussian(rnd, 400);
                }
            }
            default -> throw new IllegalArgumentException(instance);
        }
    }

    @Benchmark
    public SparseMapResult solve() {
        int i = next++ & 63;
        return solver.solve(polytope, etaU[i], etaV[i]);
    }

    @Benchmark
    public SparseMapResult solveBaseline() {
        int i = next++ & 63;
        return baseline.solve(baselinePolytope, etaU[i], etaV[i]);
    }
}
