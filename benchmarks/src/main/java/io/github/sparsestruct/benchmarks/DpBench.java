package io.github.sparsestruct.benchmarks;

import io.github.sparsestruct.benchmarks.baseline.DtwOmegaBaseline;
import io.github.sparsestruct.benchmarks.baseline.ViterbiOmegaBaseline;
import io.github.sparsestruct.inference.dp.DtwOmega;
import io.github.sparsestruct.inference.dp.ViterbiOmega;
import io.github.sparsestruct.inference.smooth.SmoothedMax;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DP-Ω value + gradient: Vit_Ω on a batch B=32, T=40, S=9 (float64), and soft-DTW on 500×500 squared-Euclidean
 * costs of two N(0,1) series of dimension 10, γ = 1. The {@code ...Baseline} methods run the pre-optimisation
 * kernels ({@code benchmarks.baseline}) on the same inputs, for new/old ratios within one run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class DpBench {
    /** negentropy or l2. */
    @Param({"negentropy", "l2"})
    public String omega;

    private ViterbiOmega vit;
    private double[] theta;
    private double[] grad;
    private int[] offsets;
    private int[] lengths;
    private double[] values;
    private ViterbiOmegaBaseline vitBaseline;
    private DtwOmega dtw;
    private DtwOmegaBaseline dtwBaseline;
    private double[] costs;
    private double[] dtwGrad;

    @Setup
    public void setup() {
        SmoothedMax op = omega.equals("l2") ? SmoothedMax.squaredL2(1.0) : SmoothedMax.negEntropy(1.0);
        int b = 32;
        int t = 40;
        int s = 9;
        Random rnd = new Random(42);
        theta = Instances.gaussian(rnd, b * t * s * s);
        grad = new double[theta.length];
        offsets = new int[b];
        lengths = new int[b];
        for (int i = 0; i < b; i++) {
            offsets[i] = i * t * s * s;
            lengths[i] = t;
        }
        values = new double[b];
        vit = new ViterbiOmega(op, s, t);
        vitBaseline = new ViterbiOmegaBaseline(op, s, t);
        dtw = new DtwOmega(op);
        dtwBaseline = new DtwOmegaBaseline(op);
        costs = Instances.sqEuclideanCosts(rnd, 500, 500, 10);
        dtwGrad = new double[costs.length];
    }

    @Benchmark
    public double[] viterbiValueAndGradient() {
        vit.gradientBatch(theta, offsets, lengths, values, grad);
        return grad;
    }

    @Benchmark
    public double dtwValueAndGradient() {
        return dtw.gradient(costs, 500, 500, dtwGrad);
    }

    @Benchmark
    public double[] viterbiValueAndGradientBaseline() {
        vitBaseline.gradientBatch(theta, offsets, lengths, values, grad);
        return grad;
    }

    @Benchmark
    public double dtwValueAndGradientBaseline() {
        return dtwBaseline.gradient(costs, 500, 500, dtwGrad);
    }
}
