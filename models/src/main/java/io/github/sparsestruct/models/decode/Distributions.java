package io.github.sparsestruct.models.decode;

import io.github.sparsestruct.inference.sparsemap.KBest;
import io.github.sparsestruct.inference.sparsemap.SparseMapResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        Integer[] order = heaviestFirst(r);
        List<int[]> codes = new ArrayList<>(order.length);
        double[] w = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            codes.add(r.support().get(order[k]).code());
            w[k] = r.weights()[order[k]];
        }
        return new SparseDistribution(List.copyOf(codes), w, marginals, null, r.iterations(), r.gap());
    }

    /** A single structure of weight 1. */
    static SparseDistribution single(int[] code, double[] marginals, double[] extraMarginals) {
        return new SparseDistribution(List.of(code), new double[] {1.0}, marginals, extraMarginals, 0, 0);
    }

    /**
     * The weights of a k-best list: the model's Gibbs distribution restricted to the list, exp(score − max) / Z.
     */
    static double[] gibbs(List<KBest.Scored> list) {
        double max = list.get(0).score();
        double[] w = new double[list.size()];
        double z = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(list.get(i).score() - max);
            z += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= z;
        }
        return w;
    }
}
