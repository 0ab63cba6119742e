package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import io.github.sparsestruct.inference.sparsemap.Structure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** What the decoders share: a SparseMAP support ordered heaviest first, and k-best lists with Gibbs weights. */
final class Distributions {
    private Distributions() {
    }

    /** The support's positions, heaviest first (a stable sort: ties keep the solver's order). */
    static Integer[] heaviestFirst(SparseMapResult r) {
        Integer[] order = new Integer[r.support().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, c) -> Double.compare(r.weights()[c], r.weights()[a]));
        return order;
    }

    /** The support's codes and weights, heaviest first, with the given marginals. */
    static SparseDistribution fromSupport(SparseMapResult r, double[] marginals) {
        return fromSupport(r, marginals, Structure::code);
    }

    /** The support's codes (mapped by {@code code}) and weights, heaviest first, with the given marginals. */
    static SparseDistribution fromSupport(SparseMapResult r, double[] marginals, Function<Structure, int[]> code) {
        Integer[] order = heaviestFirst(r);
        List<int[]> codes = new ArrayList<>(order.length);
        double[] w = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            codes.add(code.apply(r.support().get(order[k])));
            w[k] = r.weights()[order[k]];
        }
        return new SparseDistribution(List.copyOf(codes), w, marginals, null, r.objective(), r.iterations(),
                r.gap(), r.converged());
    }

    /** A single structure of weight 1 (one pass: no iterations, converged), of probability 1. */
    static SparseDistribution single(int[] code, double[] marginals, double[] extraMarginals, double value) {
        return single(code, marginals, extraMarginals, value, 1.0);
    }

    /** A single listed structure of weight 1 whose probability under a dense distribution is {@code probability}. */
    static SparseDistribution single(int[] code, double[] marginals, double[] extraMarginals, double value,
                                     double probability) {
        return new SparseDistribution(List.of(code), new double[] {1.0}, marginals, extraMarginals, value, 0, 0, true,
                probability);
    }

    /**
     * The Gibbs probability exp((best − smoothedMax) / T) of the MAP structure, where {@code smoothedMax} is
     * T·log Σ exp(score / T) (0 when every structure scores −∞).
     */
    static double gibbsProbability(double bestScore, double smoothedMax, double temperature) {
        if (bestScore == Double.NEGATIVE_INFINITY || smoothedMax == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        return Math.min(1.0, Math.exp((bestScore - smoothedMax) / temperature));
    }

    /** A k-best list with its weights and marginals; its value is the best score. */
    static SparseDistribution list(List<KBest.Scored> list, List<int[]> codes, double[] weights, double[] marginals) {
        return new SparseDistribution(List.copyOf(codes), weights, marginals, null, list.get(0).score(), 0, 0, true);
    }

    /**
     * The weights of a k-best list: the model's Gibbs distribution at temperature T restricted to the list,
     * exp((score − max) / T) / Z.
     */
    static double[] gibbs(List<KBest.Scored> list, double temperature) {
        double max = list.get(0).score();
        double[] w = new double[list.size()];
        double z = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp((list.get(i).score() - max) / temperature);
            z += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= z;
        }
        return w;
    }
}
