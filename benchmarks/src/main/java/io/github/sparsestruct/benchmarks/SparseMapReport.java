package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.inference.polytope.MatchingPolytope;
import io.github.sparsestruct.inference.polytope.SequencePolytope;
import io.github.sparsestruct.inference.polytope.TreePolytope;
import io.github.sparsestruct.inference.sparsemap.ActiveSetSolver;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.StructuredPolytope;
import java.util.Arrays;
import java.util.Random;

/**
 * Prints, for the SparseMAP benchmark instances, the median iterations and support size over 1,000 random draws
 * (the JMH benchmark measures time only). Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.sparsestruct.benchmarks.SparseMapReport}.
 */
public final class SparseMapReport {
    private SparseMapReport() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        for (String name : new String[] {"chain", "tree", "tree1", "matching"}) {
            Random rnd = new Random(42);
            ActiveSetSolver solver = new ActiveSetSolver();
            int n = 1000;
            int[] iters = new int[n];
            int[] support = new int[n];
            double[] gaps = new double[n];
            for (int i = 0; i < n; i++) {
                StructuredPolytope p;
                double[] u;
                double[] v = null;
                switch (name) {
                    case "chain" -> {
                        SequencePolytope s = new SequencePolytope(30, 9);
                        p = s;
                        u = Instances.gaussian(rnd, s.unaryDim());
                        v = s.packExtra(Instances.gaussian(rnd, 29 * 81), null, null);
                    }
                    case "matching" -> {
                        p = new MatchingPolytope(20, 20);
                        u = Instances.gaussian(rnd, 400);
                    }
                    default -> {
                        p = new TreePolytope(25, false, name.equals("tree1"));
                        u = Instances.gaussian(rnd, p.unaryDim());
                    }
                }
                SparseMapResult r = solver.solve(p, u, v);
                iters[i] = r.iterations();
                support[i] = r.support().size();
                gaps[i] = r.gap();
            }
            Arrays.sort(iters);
            Arrays.sort(support);
            Arrays.sort(gaps);
            System.out.printf("%-9s iterations median %d (p90 %d)  support median %d (p90 %d, max %d)  gap max %.2e%n",
                    name, iters[n / 2], iters[9 * n / 10], support[n / 2], support[9 * n / 10], support[n - 1],
                    gaps[n - 1]);
        }
    }
}
