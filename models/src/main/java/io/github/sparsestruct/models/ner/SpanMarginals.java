package io.github.sparsestruct.models.ner;

import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Marginal probabilities of candidate entities (exact typed spans) under a distribution over IOB2 tag sequences.
 */
public final class SpanMarginals {
    private SpanMarginals() {
    }

    /** Span weights of a sparse distribution: each span gets the summed weight of the sequences that hold it. */
    public static List<NerPrediction.WeightedSpan> fromAlternatives(List<NerPrediction.WeightedTags> alternatives) {
        Map<Span, Double> w = new LinkedHashMap<>();
        for (NerPrediction.WeightedTags a : alternatives) {
            for (Span s : NerEvaluator.spans(a.tags())) {
                w.merge(s, a.weight(), Double::sum);
            }
        }
        List<NerPrediction.WeightedSpan> out = new ArrayList<>();
        for (Map.Entry<Span, Double> e : w.entrySet()) {
            if (e.getValue() >= NerPrediction.MIN_SPAN_WEIGHT) {
                Span s = e.getKey();
                out.add(new NerPrediction.WeightedSpan(s.start(), s.end(), s.type(), e.getValue()));
            }
        }
        return sorted(out);
    }

    /**
     * Span probabilities of a Markov distribution over IOB2 sequences given by its unary marginals
     * {@code u[t*S + a]} and pairwise marginals {@code pair[(t*S + a)*S + b]} = P(y_t = a, y_{t+1} = b) (the layouts of
     * {@code SequencePolytope}). CRF posteriors and the path distributions of DP-Ω are Markov chains, so
     * P(span [s, e) of type X) = P(y_s = B-X) · Π P(y_{k+1} = I-X | y_k) · P(y_e ≠ I-X | y_{e−1}) is exact.
     *
     * @param tags tag names, IOB2
     * @param n    sentence length
     * @param u    unary marginals n×S
     * @param pair pairwise marginals (n−1)×S×S
     */
    public static List<NerPrediction.WeightedSpan> fromMarkov(String[] tags, int n, double[] u, double[] pair) {
        int s = tags.length;
        List<NerPrediction.WeightedSpan> out = new ArrayList<>();
        for (int b = 0; b < s; b++) {
            if (!tags[b].startsWith("B-")) {
                continue;
            }
            String type = tags[b].substring(2);
            int in = indexOf(tags, "I-" + type);
            for (int start = 0; start < n; start++) {
                double p = u[start * s + b];
                int last = b;
                for (int end = start + 1; end <= n && p >= NerPrediction.MIN_SPAN_WEIGHT; end++) {
                    // p = P(y_start = B, y_start+1..end-1 = I); close the span at end
                    double close = p;
                    if (end < n && in >= 0) {
                        double ul = u[(end - 1) * s + last];
                        double cont = ul > 0 ? pair[((end - 1) * s + last) * s + in] / ul : 0;
                        close = p * Math.max(0, 1 - cont);
                        p *= cont;
                    } else {
                        p = 0;
                    }
                    if (close >= NerPrediction.MIN_SPAN_WEIGHT) {
                        out.add(new NerPrediction.WeightedSpan(start, end, type, Math.min(1, close)));
                    }
                    last = in;
                }
            }
        }
        return sorted(out);
    }

    private static int indexOf(String[] tags, String t) {
        for (int i = 0; i < tags.length; i++) {
            if (tags[i].equals(t)) {
                return i;
            }
        }
        return -1;
    }

    private static List<NerPrediction.WeightedSpan> sorted(List<NerPrediction.WeightedSpan> spans) {
        spans.sort(Comparator.comparingDouble(NerPrediction.WeightedSpan::weight).reversed()
                .thenComparingInt(NerPrediction.WeightedSpan::start).thenComparingInt(NerPrediction.WeightedSpan::end)
                .thenComparing(NerPrediction.WeightedSpan::type));
        return List.copyOf(spans);
    }
}
