package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * Calibration of part marginals (every candidate span or arc with its marginal weight, not only those of the kept
 * alternatives): each part of weight ≥ {@link #MIN_WEIGHT} is a prediction with that confidence, correct when it is a
 * gold part; expected calibration error over ten equal-width bins, ECE = Σ (n_b/N) |accuracy_b − mean weight_b|. For
 * {@code marginals} decoding this is the calibration of CRF / matrix-tree marginals, which the alternatives (one
 * structure of weight 1) cannot show.
 */
public final class MarginalCalibration {
    /** Parts lighter than this are not counted (they would swamp the lowest bin). */
    public static final double MIN_WEIGHT = 0.01;
    private final long[] count = new long[AmbiguityEvaluator.ECE_BINS];
    private final long[] correct = new long[AmbiguityEvaluator.ECE_BINS];
    private final double[] weight = new double[AmbiguityEvaluator.ECE_BINS];

    /** Adds one sentence: its gold parts (sorted) and candidate parts with their weights. */
    public void add(long[] goldSorted, long[] parts, double[] weights) {
        for (int i = 0; i < parts.length; i++) {
            double w = weights[i];
            if (!(w >= MIN_WEIGHT)) {
                continue;
            }
            int b = Math.min(AmbiguityEvaluator.ECE_BINS - 1, (int) (w * AmbiguityEvaluator.ECE_BINS));
            count[b]++;
            weight[b] += w;
            if (Arrays.binarySearch(goldSorted, parts[i]) >= 0) {
                correct[b]++;
            }
        }
    }

    /** Number of parts counted. */
    public long parts() {
        return Arrays.stream(count).sum();
    }

    /** Expected calibration error (0 when nothing was counted). */
    public double ece() {
        long n = parts();
        if (n == 0) {
            return 0;
        }
        double e = 0;
        for (int b = 0; b < count.length; b++) {
            if (count[b] > 0) {
                e += (double) count[b] / n * Math.abs((double) correct[b] / count[b] - weight[b] / count[b]);
            }
        }
        return e;
    }

    /** ECE, parts and per-bin counts / accuracy / mean weight. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ece", ece());
        o.put("parts", parts());
        o.put("minWeight", MIN_WEIGHT);
        ArrayNode bins = o.putArray("bins");
        for (int b = 0; b < count.length; b++) {
            ObjectNode x = bins.addObject();
            x.put("lo", (double) b / count.length);
            x.put("hi", (double) (b + 1) / count.length);
            x.put("count", count[b]);
            if (count[b] > 0) {
                x.put("accuracy", (double) correct[b] / count[b]);
                x.put("meanWeight", weight[b] / count[b]);
            }
        }
        return o;
    }

    /** One line for the tables. */
    public String line(String what) {
        return String.format(Locale.ROOT, "%s marginal ECE (all candidates of weight >= %.2f, %d parts): %.4f%n", what,
                MIN_WEIGHT, parts(), ece());
    }
}
