package io.github.sparsestruct.models.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparsestruct.models.eval.NerEvaluator;
import io.github.sparsestruct.models.eval.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpanMarginalsTest {
    private static final String[] TAGS = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};

    /** All IOB2-legal sequences of length n with their Gibbs probabilities under random (sometimes tied) scores. */
    private static Map<String, Double> span(int n, long seed, double[] u, double[] pair) {
        Random r = new Random(seed);
        int s = TAGS.length;
        double[] unary = new double[n * s];
        double[] trans = new double[s * s];
        for (int i = 0; i < unary.length; i++) {
            unary[i] = seed % 3 == 0 ? r.nextInt(2) : 2 * r.nextGaussian();
        }
        for (int i = 0; i < trans.length; i++) {
            trans[i] = r.nextGaussian();
        }
        List<int[]> seqs = new ArrayList<>();
        enumerate(new int[n], 0, seqs);
        double[] w = new double[seqs.size()];
        double z = 0;
        for (int k = 0; k < w.length; k++) {
            int[] y = seqs.get(k);
            double sc = 0;
            for (int t = 0; t < n; t++) {
                sc += unary[t * s + y[t]] + (t > 0 ? trans[y[t - 1] * s + y[t]] : 0);
            }
            w[k] = Math.exp(sc);
            z += w[k];
        }
        Map<String, Double> spans = new HashMap<>();
        for (int k = 0; k < w.length; k++) {
            int[] y = seqs.get(k);
            double p = w[k] / z;
            String[] names = new String[n];
            for (int t = 0; t < n; t++) {
                names[t] = TAGS[y[t]];
                u[t * s + y[t]] += p;
                if (t + 1 < n) {
                    pair[(t * s + y[t]) * s + y[t + 1]] += p;
                }
            }
            for (Span sp : NerEvaluator.spans(names)) {
                spans.merge(sp.start() + ":" + sp.end() + ":" + sp.type(), p, Double::sum);
            }
        }
        return spans;
    }

    private static void enumerate(int[] y, int t, List<int[]> out) {
        if (t == y.length) {
            out.add(y.clone());
            return;
        }
        for (int a = 0; a < TAGS.length; a++) {
            if (TAGS[a].startsWith("I-") && (t == 0 || TAGS[y[t - 1]].equals("O")
                    || !TAGS[y[t - 1]].substring(2).equals(TAGS[a].substring(2)))) {
                continue;
            }
            y[t] = a;
            enumerate(y, t + 1, out);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
    void markovSpanProbabilitiesMatchEnumerationOfAllTagSequences(int seed) {
        int n = 1 + seed % 5;
        int s = TAGS.length;
        double[] u = new double[n * s];
        double[] pair = new double[Math.max(0, n - 1) * s * s];
        Map<String, Double> expected = span(n, seed, u, pair);
        List<NerPrediction.WeightedSpan> got = SpanMarginals.fromMarkov(TAGS, n, u, pair);
        Map<String, Double> gotMap = new HashMap<>();
        for (NerPrediction.WeightedSpan w : got) {
            gotMap.put(w.start() + ":" + w.end() + ":" + w.type(), w.weight());
        }
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            if (e.getValue() >= 2 * NerPrediction.MIN_SPAN_WEIGHT) {
                assertTrue(gotMap.containsKey(e.getKey()), "missing span " + e.getKey());
                assertEquals(e.getValue(), gotMap.get(e.getKey()), 1e-9, e.getKey());
            }
        }
        for (Map.Entry<String, Double> e : gotMap.entrySet()) {
            assertEquals(expected.getOrDefault(e.getKey(), 0.0), e.getValue(), 1e-9, e.getKey());
        }
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i - 1).weight() >= got.get(i).weight(), "heaviest first");
        }
    }

    @org.junit.jupiter.api.Test
    void alternativesGiveSummedWeightsPerSpan() {
        List<NerPrediction.WeightedTags> alts = List.of(
                new NerPrediction.WeightedTags(new String[] {"B-PER", "I-PER", "O"}, 0.5),
                new NerPrediction.WeightedTags(new String[] {"B-PER", "I-PER", "B-LOC"}, 0.3),
                new NerPrediction.WeightedTags(new String[] {"B-LOC", "O", "B-LOC"}, 0.2));
        List<NerPrediction.WeightedSpan> got = SpanMarginals.fromAlternatives(alts);
        assertEquals(3, got.size());
        assertEquals(new NerPrediction.WeightedSpan(0, 2, "PER", 0.8), got.get(0));
        assertEquals(new NerPrediction.WeightedSpan(2, 3, "LOC", 0.5), got.get(1));
        assertEquals(0.2, got.get(2).weight(), 1e-12);
        assertEquals("LOC", got.get(2).type());
    }
}
