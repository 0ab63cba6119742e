package io.github.sparsestruct.models.analysis;

import io.github.sparsestruct.models.depparse.ParsePrediction;
import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.Span;
import io.github.sparsestruct.models.ner.NerPrediction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How unsure a model is of one sentence's analysis (docs/alternatives-json.md, "Uncertainty"): what an annotator
 * would rank sentences by. NaN where the decoding defines the figure not ({@code map} has no distribution; a
 * {@code dp_l2} decoding gives no probability to its best structure).
 *
 * @param bestWrong          1 − the calibrated probability that the best analysis is exactly right
 * @param expectedWrongParts the expected number of parts in which the best analysis is wrong, from the part
 *                           marginals: for NER Σ over its entities of (1 − weight) plus Σ over the other candidate
 *                           entities of their weight (expected false plus missed entities); for a parser Σ over the
 *                           words of (1 − weight of its best head)
 * @param support            how many structures the decoded distribution holds (before any cut to
 *                           {@code maxAlternatives})
 */
public record Uncertainty(double bestWrong, double expectedWrongParts, int support) {
    /** A sentence with no words: nothing to be wrong about. */
    public static final Uncertainty NONE = new Uncertainty(0, 0, 1);
    /** A sentence decoded by {@code map} (also a long sentence in chunks): no distribution to measure. */
    public static final Uncertainty UNDEFINED = new Uncertainty(Double.NaN, Double.NaN, 1);

    /** The uncertainty of a NER prediction decoded by {@code decode}. */
    public static Uncertainty of(NerPrediction p, String decode) {
        if (decode.equals("map")) {
            return UNDEFINED;
        }
        Set<Span> best = new HashSet<>(NerEvaluator.spans(p.tags()));
        double wrong = 0;
        double bestMass = 0;
        for (NerPrediction.WeightedSpan s : p.spans()) {
            if (best.contains(new Span(s.start(), s.end(), s.type()))) {
                bestMass += s.weight();
            } else {
                wrong += s.weight();
            }
        }
        wrong += best.size() - bestMass;
        return new Uncertainty(1 - p.bestProbability(), Math.max(0, wrong), p.alternatives().size());
    }

    /** The uncertainty of a parse decoded by {@code decode}. */
    public static Uncertainty of(ParsePrediction p, String decode) {
        if (decode.equals("map")) {
            return UNDEFINED;
        }
        double wrong = 0;
        int[] heads = p.heads();
        for (int m = 1; m <= heads.length; m++) {
            wrong += 1 - p.arcMarginals()[heads[m - 1]][m];
        }
        return new Uncertainty(1 - p.bestProbability(), Math.max(0, wrong), p.trees().size());
    }

    /**
     * The uncertainty of a document from its sentences' (null entries skipped): the probability that some sentence's
     * best analysis is wrong, 1 − Π (1 − bestWrong), taking sentences as independent; the expected wrong parts summed;
     * the largest support. NaN figures stay NaN.
     */
    public static Uncertainty document(List<Uncertainty> sentences) {
        double allRight = 1;
        double wrong = 0;
        int support = 1;
        for (Uncertainty u : sentences) {
            if (u != null) {
                allRight *= 1 - u.bestWrong;
                wrong += u.expectedWrongParts;
                support = Math.max(support, u.support);
            }
        }
        return new Uncertainty(1 - allRight, wrong, support);
    }
}
