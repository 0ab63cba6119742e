package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gold, predicted and correct part counts with micro precision, recall and F1 (as fractions in [0, 1]). Following
 * conlleval, a ratio whose denominator is zero is 0.
 *
 * @param gold      number of gold parts (entities, arcs)
 * @param predicted number of predicted parts
 * @param correct   number of predicted parts that are gold
 */
public record PrfCounts(long gold, long predicted, long correct) {
    /** No parts. */
    public static final PrfCounts ZERO = new PrfCounts(0, 0, 0);

    /** Checks that the counts are consistent. */
    public PrfCounts {
        if (gold < 0 || predicted < 0 || correct < 0 || correct > gold || correct > predicted) {
            throw new IllegalArgumentException("inconsistent counts: gold " + gold + ", predicted " + predicted
                    + ", correct " + correct);
        }
    }

    /** The sum of two counts. */
    public PrfCounts plus(PrfCounts o) {
        return new PrfCounts(gold + o.gold, predicted + o.predicted, correct + o.correct);
    }

    /** These counts plus one sentence's. */
    public PrfCounts plus(long gold, long predicted, long correct) {
        return new PrfCounts(this.gold + gold, this.predicted + predicted, this.correct + correct);
    }

    /** correct / predicted, 0 when nothing is predicted. */
    public double precision() {
        return predicted == 0 ? 0 : (double) correct / predicted;
    }

    /** correct / gold, 0 when there is no gold part. */
    public double recall() {
        return gold == 0 ? 0 : (double) correct / gold;
    }

    /** Harmonic mean of precision and recall, 0 when both are 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** {@code {"gold", "predicted", "correct", "precision", "recall", "f1"}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("gold", gold);
        o.put("predicted", predicted);
        o.put("correct", correct);
        o.put("precision", precision());
        o.put("recall", recall());
        o.put("f1", f1());
        return o;
    }
}
