package io.github.sparsestruct.models.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * What a user decided about one sentence's entities, for re-decoding it ({@link NerAnalyzer#analyze(List, List)}):
 * accepted entities must appear exactly (every analysis holds the span with its type: B- on its first token, I- on
 * the others, and the entity ends there), rejected ones may not: a rejected type is forbidden on every token of its
 * span (so no entity of that type overlaps it; a span can only be forbidden together with the spans of that type
 * that overlap it, as the decoders see tags, not spans).
 *
 * @param accepted entities that must be in every analysis
 * @param rejected typed spans whose type no analysis may put on their tokens
 */
public record NerConstraints(List<Span> accepted, List<Span> rejected) {
    /** No constraint. */
    public static final NerConstraints NONE = new NerConstraints(List.of(), List.of());

    /**
     * A typed span of tokens [start, end).
     *
     * @param start first token (0-based)
     * @param end   one past the last token
     * @param type  the entity type (PER, ORG, ...)
     */
    public record Span(int start, int end, String type) {
    }

    public NerConstraints {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    /** Whether there is no constraint. */
    public boolean isEmpty() {
        return accepted.isEmpty() && rejected.isEmpty();
    }

    /**
     * The additive mask over a sentence's tag scores [n, S] (0 keeps, −∞ forbids), for a model whose IOB2 tags are
     * {@code tags} (in its order).
     *
     * @throws IllegalArgumentException for a span outside the sentence or empty, or a type the model does not know
     */
    double[] mask(int n, List<String> tags) {
        int s = tags.size();
        double[] mask = new double[n * s];
        for (Span a : accepted) {
            check(a, n, tags, "accepted");
            int b = tags.indexOf("B-" + a.type());
            int i = tags.indexOf("I-" + a.type());
            for (int t = a.start(); t < a.end(); t++) {
                int keep = t == a.start() ? b : i;
                for (int k = 0; k < s; k++) {
                    if (k != keep) {
                        mask[t * s + k] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
            if (a.end() < n) {
                mask[a.end() * s + i] = Double.NEGATIVE_INFINITY;
            }
        }
        for (Span r : rejected) {
            check(r, n, tags, "rejected");
            int b = tags.indexOf("B-" + r.type());
            int i = tags.indexOf("I-" + r.type());
            for (int t = r.start(); t < r.end(); t++) {
                mask[t * s + b] = Double.NEGATIVE_INFINITY;
                mask[t * s + i] = Double.NEGATIVE_INFINITY;
            }
        }
        return mask;
    }

    private static void check(Span sp, int n, List<String> tags, String what) {
        if (sp.start() < 0 || sp.end() > n || sp.start() >= sp.end()) {
            throw new IllegalArgumentException(what + " span [" + sp.start() + ", " + sp.end() + ") is not a "
                    + "non-empty span of the sentence's " + n + " tokens");
        }
        if (!tags.contains("B-" + sp.type()) || !tags.contains("I-" + sp.type())) {
            throw new IllegalArgumentException(what + " span [" + sp.start() + ", " + sp.end() + ") has type '"
                    + sp.type() + "', which the model does not tag; its types: " + Arrays.toString(tags.stream()
                    .filter(t -> t.startsWith("B-")).map(t -> t.substring(2)).toArray()));
        }
    }
}
