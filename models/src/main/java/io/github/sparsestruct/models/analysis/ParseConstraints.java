package io.github.sparsestruct.models.analysis;

import java.util.List;

/**
 * What a user decided about one sentence's dependency arcs, for re-parsing it
 * ({@link ParseAnalyzer#analyze(List, List)}): every tree holds the accepted arcs (its dependent gets no other head)
 * and none of the rejected ones. Relations are not constrained.
 *
 * @param accepted arcs every tree must hold
 * @param rejected arcs no tree may hold
 */
public record ParseConstraints(List<Arc> accepted, List<Arc> rejected) {
    /** No constraint. */
    public static final ParseConstraints NONE = new ParseConstraints(List.of(), List.of());

    /**
     * An arc.
     *
     * @param head      the head word (1-based; 0 = the root)
     * @param dependent the dependent word (1-based)
     */
    public record Arc(int head, int dependent) {
    }

    public ParseConstraints {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /** Whether there is no constraint. */
    public boolean isEmpty() {
        return accepted.isEmpty() && rejected.isEmpty();
    }

    /**
     * The additive mask over a sentence's arc scores [(n+1), (n+1)] (row = head, column = dependent; 0 keeps, −∞
     * forbids).
     *
     * @throws IllegalArgumentException for an arc outside the sentence or from a word to itself
     */
    double[] mask(int n) {
        int nn = n + 1;
        double[] mask = new double[nn * nn];
        for (Arc a : accepted) {
            check(a, n, "accepted");
            for (int h = 0; h < nn; h++) {
                if (h != a.head()) {
                    mask[h * nn + a.dependent()] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        for (Arc r : rejected) {
            check(r, n, "rejected");
            mask[r.head() * nn + r.dependent()] = Double.NEGATIVE_INFINITY;
        }
        return mask;
    }

    private static void check(Arc a, int n, String what) {
        if (a.dependent() < 1 || a.dependent() > n || a.head() < 0 || a.head() > n || a.head() == a.dependent()) {
            throw new IllegalArgumentException(what + " arc " + a.head() + " -> " + a.dependent() + " is not an arc of "
                    + "the sentence's " + n + " words (heads 0..n, 0 = root; dependents 1..n; no self-loops)");
        }
    }
}
