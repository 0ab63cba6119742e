package io.github.sparsestruct.models.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sentence's input to {@link AmbiguityEvaluator}: the gold structure, the weighted alternatives (kept sorted by
 * weight, highest first; ties keep their given order) and the weight of each predicted part (its marginal).
 *
 * @param gold         the gold parts, stored sorted and without duplicates
 * @param alternatives at least one alternative, sorted by decreasing weight
 * @param partWeights  weight in [0, 1] of every predicted part; parts absent or of weight 0 count as not predicted
 */
public record Alternatives(long[] gold, List<Alternative> alternatives, Map<Long, Double> partWeights) {
    /** Canonicalises the gold parts, sorts the alternatives and checks the part weights. */
    public Alternatives {
        gold = Parts.canonical(gold);
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException("a sentence needs at least one alternative");
        }
        List<Alternative> sorted = new ArrayList<>(alternatives);
        sorted.sort(Comparator.comparingDouble(Alternative::weight).reversed());
        alternatives = Collections.unmodifiableList(sorted);
        for (Map.Entry<Long, Double> e : partWeights.entrySet()) {
            double w = e.getValue();
            if (!(w >= 0 && w <= 1 + 1e-6)) {
                throw new IllegalArgumentException("part weight " + w + " is outside [0, 1]");
            }
        }
        partWeights = Collections.unmodifiableMap(new HashMap<>(partWeights));
    }

    /**
     * A sentence whose part weights are the marginals of the alternatives: the weight of a part is the total weight
     * of the alternatives holding it divided by the total weight (all alternatives equal when the total is 0).
     */
    public static Alternatives of(long[] gold, List<Alternative> alternatives) {
        return new Alternatives(gold, alternatives, marginals(alternatives));
    }

    /** The marginal weight of every part over {@code alternatives}, normalised by their total weight. */
    public static Map<Long, Double> marginals(List<Alternative> alternatives) {
        double total = alternatives.stream().mapToDouble(Alternative::weight).sum();
        Map<Long, Double> m = new HashMap<>();
        for (Alternative a : alternatives) {
            double w = total > 0 ? a.weight() / total : 1.0 / alternatives.size();
            for (long p : a.parts()) {
                m.merge(p, w, Double::sum);
            }
        }
        m.replaceAll((p, w) -> Math.min(1.0, w));
        return m;
    }

    /** The {@code k} highest-weighted alternatives, with part weights recomputed as their marginals. */
    public Alternatives topK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, found " + k);
        }
        return of(gold, alternatives.subList(0, Math.min(k, alternatives.size())));
    }

    /** The highest-weighted alternative. */
    public Alternative top() {
        return alternatives.get(0);
    }

    /** Number of alternatives. */
    public int supportSize() {
        return alternatives.size();
    }

    /** The gold parts (sorted; not copied, do not modify). */
    @Override
    public long[] gold() {
        return gold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alternatives a && Arrays.equals(gold, a.gold) && alternatives.equals(a.alternatives)
                && partWeights.equals(a.partWeights);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(gold) + alternatives.hashCode()) + partWeights.hashCode();
    }

    @Override
    public String toString() {
        return "Alternatives[" + gold.length + " gold parts, " + alternatives.size() + " alternatives]";
    }
}
