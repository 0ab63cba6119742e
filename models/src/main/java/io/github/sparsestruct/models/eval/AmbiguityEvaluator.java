package io.github.sparsestruct.models.eval;

import java.util.List;
import java.util.Map;

/**
 * The ambiguity figures of GUIDE §7 over sentences given as weighted alternatives ({@link Alternatives}): works the
 * same for a SparseMAP support and for a k-best list, so one evaluator per system gives comparable figures.
 * <ul>
 * <li><b>support size</b>: number of alternatives per sentence, mean and histogram (1, 2, 3, 4, 5+); callers drop
 * zero-weight atoms before;</li>
 * <li><b>top-1</b> and <b>oracle</b> micro precision / recall / F1 of parts. The oracle takes, per sentence, the
 * alternative with the most correct parts (ties: fewer parts, then higher weight) and sums the counts over the
 * corpus. This is the usual oracle and for trees (every alternative has one arc per word) its F1 is exactly the
 * oracle UAS; for NER it is a per-sentence choice, which can fall slightly short of the best corpus F1;</li>
 * <li><b>gold in support when the top is wrong</b>: among sentences whose top alternative is not exactly gold, the
 * share where some alternative is;</li>
 * <li><b>calibration</b>: expected calibration error of part weights over {@value #ECE_BINS} equal-width bins
 * ({@code [0, .1), ..., [.9, 1]}): every part of positive weight is a prediction with that confidence, correct when
 * it is a gold part. ECE = Σ<sub>b</sub> (n<sub>b</sub>/N) |accuracy<sub>b</sub> − mean weight<sub>b</sub>|.</li>
 * </ul>
 */
public final class AmbiguityEvaluator {
    /** Number of equal-width calibration bins. */
    public static final int ECE_BINS = 10;
    /** Support-size histogram buckets: sizes 1, 2, 3, 4 and 5 or more. */
    public static final int HISTOGRAM_BUCKETS = 5;

    private final String partName;
    private long sentences;
    private long supportSum;
    private int maxSupport;
    private final long[] histogram = new long[HISTOGRAM_BUCKETS];
    private PrfCounts top1 = PrfCounts.ZERO;
    private PrfCounts oracle = PrfCounts.ZERO;
    private long exactTop;
    private long goldInSupport;
    private long goldInSupportWhenTopWrong;
    private final long[] binCount = new long[ECE_BINS];
    private final long[] binCorrect = new long[ECE_BINS];
    private final double[] binWeight = new double[ECE_BINS];

    /** An evaluator whose tables call the parts {@code partName} ({@code "arc"}, {@code "span"}). */
    public AmbiguityEvaluator(String partName) {
        this.partName = partName;
    }

    /** Adds one sentence. */
    public void add(Alternatives s) {
        long[] gold = s.gold();
        List<Alternative> alts = s.alternatives();
        sentences++;
        int k = alts.size();
        supportSum += k;
        maxSupport = Math.max(maxSupport, k);
        histogram[Math.min(k, HISTOGRAM_BUCKETS) - 1]++;

        Alternative top = alts.get(0);
        top1 = top1.plus(gold.length, top.parts().length, Parts.common(top.parts(), gold));
        Alternative best = null;
        int bestCorrect = -1;
        boolean inSupport = false;
        for (Alternative a : alts) {
            int c = Parts.common(a.parts(), gold);
            if (c > bestCorrect || c == bestCorrect && a.parts().length < best.parts().length) {
                best = a;
                bestCorrect = c;
            }
            inSupport |= a.sameStructure(gold);
        }
        oracle = oracle.plus(gold.length, best.parts().length, bestCorrect);
        boolean topRight = top.sameStructure(gold);
        if (topRight) {
            exactTop++;
        }
        if (inSupport) {
            goldInSupport++;
            if (!topRight) {
                goldInSupportWhenTopWrong++;
            }
        }

        for (Map.Entry<Long, Double> e : s.partWeights().entrySet()) {
            double w = Math.min(1.0, e.getValue());
            if (w <= 0) {
                continue;
            }
            int b = Math.min(ECE_BINS - 1, (int) (w * ECE_BINS));
            binCount[b]++;
            binWeight[b] += w;
            if (java.util.Arrays.binarySearch(gold, e.getKey()) >= 0) {
                binCorrect[b]++;
            }
        }
    }

    /** The figures of the sentences added so far. */
    public AmbiguityResult result() {
        return new AmbiguityResult(partName, sentences, supportSum, maxSupport, histogram.clone(), top1, oracle,
                exactTop, goldInSupport, goldInSupportWhenTopWrong,
                new AmbiguityResult.Calibration(binCount.clone(), binCorrect.clone(), binWeight.clone()));
    }

    /** The figures of a corpus. */
    public static AmbiguityResult evaluate(String partName, List<Alternatives> sentences) {
        AmbiguityEvaluator ev = new AmbiguityEvaluator(partName);
        sentences.forEach(ev::add);
        return ev.result();
    }

    /**
     * The k-best baseline matching a mean support size: each sentence cut to its {@code k} best alternatives, with
     * {@code k} the mean rounded (at least 1), part weights recomputed as marginals of what is kept.
     */
    public static List<Alternatives> kBestBaseline(List<Alternatives> kBest, double meanSupport) {
        int k = Math.max(1, (int) Math.round(meanSupport));
        return kBest.stream().map(s -> s.topK(k)).toList();
    }
}
