package io.github.sparsestruct.models.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A reliability diagram's bins: predictions with a confidence in [0, 1] and whether each was right, in
 * {@value #BINS} equal-width bins ({@code [0, .1), ..., [.9, 1]}). The expected calibration error is
 * ECE = Σ<sub>b</sub> (n<sub>b</sub>/N) |accuracy<sub>b</sub> − mean confidence<sub>b</sub>|. Not thread-safe.
 */
public final class ReliabilityBins {
    /** Number of bins. */
    public static final int BINS = AmbiguityEvaluator.ECE_BINS;

    private final long[] count = new long[BINS];
    private final long[] correct = new long[BINS];
    private final double[] confidence = new double[BINS];

    /** Adds one prediction (a confidence above 1 counts as 1; NaN is skipped). */
    public void add(double conf, boolean right) {
        if (Double.isNaN(conf)) {
            return;
        }
        double c = Math.max(0, Math.min(1, conf));
        int b = Math.min(BINS - 1, (int) (c * BINS));
        count[b]++;
        confidence[b] += c;
        if (right) {
            correct[b]++;
        }
    }

    /** Adds every prediction of {@code other}. */
    public void addAll(ReliabilityBins other) {
        for (int b = 0; b < BINS; b++) {
            count[b] += other.count[b];
            correct[b] += other.correct[b];
            confidence[b] += other.confidence[b];
        }
    }

    /** Number of predictions. */
    public long size() {
        long n = 0;
        for (long c : count) {
            n += c;
        }
        return n;
    }

    /** Predictions in bin {@code b}. */
    public long count(int b) {
        return count[b];
    }

    /** Share of right predictions in bin {@code b} (NaN when empty). */
    public double accuracy(int b) {
        return count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
    }

    /** Mean confidence in bin {@code b} (NaN when empty). */
    public double meanConfidence(int b) {
        return count[b] == 0 ? Double.NaN : confidence[b] / count[b];
    }

    /** Mean confidence over all predictions (NaN when empty). */
    public double meanConfidence() {
        double s = 0;
        for (double c : confidence) {
            s += c;
        }
        return size() == 0 ? Double.NaN : s / size();
    }

    /** Share of right predictions over all (NaN when empty). */
    public double accuracy() {
        long r = 0;
        for (long c : correct) {
            r += c;
        }
        return size() == 0 ? Double.NaN : (double) r / size();
    }

    /** The expected calibration error (NaN when empty). */
    public double ece() {
        long n = size();
        if (n == 0) {
            return Double.NaN;
        }
        double e = 0;
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) {
                e += (double) count[b] / n * Math.abs(accuracy(b) - meanConfidence(b));
            }
        }
        return e;
    }

    /** ECE, size and per-bin count / accuracy / mean confidence. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        double e = ece();
        if (Double.isNaN(e)) {
            o.putNull("ece");
        } else {
            o.put("ece", e);
        }
        o.put("predictions", size());
        ArrayNode bins = o.putArray("bins");
        for (int b = 0; b < BINS; b++) {
            ObjectNode x = bins.addObject();
            x.put("lo", (double) b / BINS);
            x.put("hi", (double) (b + 1) / BINS);
            x.put("count", count[b]);
            if (count[b] > 0) {
                x.put("accuracy", accuracy(b));
                x.put("meanWeight", meanConfidence(b));
            }
        }
        return o;
    }
}
