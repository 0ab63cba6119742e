package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AmbiguityEvaluatorTest {
    private static final Logger LOG = LoggerFactory.getLogger(AmbiguityEvaluatorTest.class);

    private static Alternative tree(double w, int... heads) {
        return new Alternative(w, Parts.arcs(heads));
    }

    /**
     * Three trees. A: gold heads [2,0,2]; alternatives .6 [2,0,1] (2 of 3 arcs right), .4 [2,0,2] (gold).
     * B: gold [0,1]; one alternative, gold. C: gold [2,0]; alternatives .7 [0,1] (0 right), .3 [0,0] (1 right).
     * Support 2,1,2: mean 5/3. Top-1 arcs right 2+2+0 of 7; oracle 3+2+1 of 7. Top exact only in B; of the two
     * wrong tops, A has gold in its support. Part weights (marginals) and correctness:
     * A (2,1) 1 ✓, (0,2) 1 ✓, (1,3) .6 ✗, (2,3) .4 ✓; B (0,1) 1 ✓, (1,2) 1 ✓; C (0,1) 1 ✗, (1,2) .7 ✗, (0,2) .3 ✓.
     * Bin [.9,1]: 5 parts, 4 right: |.8 − 1| = .2; singletons .6 ✗, .4 ✓, .7 ✗, .3 ✓ each off by .6, .6, .7, .7.
     * ECE = (5 × .2 + .6 + .6 + .7 + .7) / 9 = 3.6 / 9 = .4.
     */
    @Test
    void threeTreesGiveTheFiguresCountedByHand() {
        List<Alternatives> corpus = List.of(
                Alternatives.of(Parts.arcs(new int[] {2, 0, 2}), List.of(tree(.6, 2, 0, 1), tree(.4, 2, 0, 2))),
                Alternatives.of(Parts.arcs(new int[] {0, 1}), List.of(tree(1, 0, 1))),
                Alternatives.of(Parts.arcs(new int[] {2, 0}), List.of(tree(.3, 0, 0), tree(.7, 0, 1))));
        AmbiguityResult r = AmbiguityEvaluator.evaluate("arc", corpus);
        assertThat(r.sentences()).isEqualTo(3);
        assertThat(r.meanSupport()).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(r.maxSupport()).isEqualTo(2);
        assertThat(r.supportHistogram()).containsExactly(1, 2, 0, 0, 0);
        assertThat(r.top1()).isEqualTo(new PrfCounts(7, 7, 4));
        assertThat(r.oracle()).isEqualTo(new PrfCounts(7, 7, 6));
        assertThat(r.oracle().recall()).isCloseTo(6.0 / 7, within(1e-12)); // oracle UAS
        assertThat(r.exactTop()).isEqualTo(1);
        assertThat(r.topWrong()).isEqualTo(2);
        assertThat(r.goldInSupport()).isEqualTo(2);
        assertThat(r.goldInSupportWhenTopWrong()).isEqualTo(1);
        assertThat(r.goldInSupportWhenTopWrongRate()).isEqualTo(0.5);
        assertThat(r.calibration().parts()).isEqualTo(9);
        assertThat(r.calibration().count()[9]).isEqualTo(5);
        assertThat(r.calibration().accuracy(9)).isCloseTo(0.8, within(1e-12));
        assertThat(r.ece()).isCloseTo(0.4, within(1e-9));

        ObjectNode j = r.toJson();
        assertThat(j.get("support").get("histogram").get("2").asLong()).isEqualTo(2);
        assertThat(j.get("oracle").get("correct").asLong()).isEqualTo(6);
        assertThat(j.get("calibration").get("ece").asDouble()).isCloseTo(0.4, within(1e-9));
        assertThat(j.get("calibration").get("bins")).hasSize(10);
        assertThat(r.table()).contains("1.67").contains("1 / 2 / 0 / 0 / 0").contains("85.71").contains("57.14")
                .contains("1 / 2 (50.00%)").contains("0.4000");
    }

    /**
     * Spans, types 0 = PER, 1 = LOC, 2 = ORG. Sentence 1: gold {PER[0,1)}; equal-weight alternatives
     * {PER[0,1), LOC[2,3)} (given first, so top) and {PER[0,1)}: the oracle takes the second (as many right
     * parts, fewer parts). Sentence 2: no gold entity; .9 {} and .1 {ORG[1,2)}: top and oracle are {}.
     * Top-1: gold 1, predicted 2, right 1 (F1 2/3); oracle: 1, 1, 1 (F1 1).
     */
    @Test
    void spanOracleBreaksTiesTowardsFewerParts() {
        long per = Parts.span(0, 1, 0);
        long loc = Parts.span(2, 3, 1);
        long org = Parts.span(1, 2, 2);
        List<Alternatives> corpus = List.of(
                Alternatives.of(new long[] {per}, List.of(new Alternative(.5, new long[] {per, loc}),
                        new Alternative(.5, new long[] {per}))),
                Alternatives.of(new long[0], List.of(new Alternative(.1, new long[] {org}),
                        new Alternative(.9, new long[0]))));
        AmbiguityResult r = AmbiguityEvaluator.evaluate("span", corpus);
        assertThat(r.top1()).isEqualTo(new PrfCounts(1, 2, 1));
        assertThat(r.top1().f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.oracle()).isEqualTo(new PrfCounts(1, 1, 1));
        assertThat(r.oracle().f1()).isEqualTo(1.0);
        assertThat(r.exactTop()).isEqualTo(1);
        assertThat(r.goldInSupportWhenTopWrong()).isEqualTo(1);
        assertThat(Parts.spanStart(loc)).isEqualTo(2);
        assertThat(Parts.spanEnd(loc)).isEqualTo(3);
        assertThat(Parts.spanType(org)).isEqualTo(2);
    }

    @Test
    void spanPartsComeFromTags() {
        long[] parts = Parts.spans("B-LOC I-LOC O B-PER".split(" "), List.of("PER", "LOC"));
        assertThat(parts).containsExactly(Parts.span(0, 2, 1), Parts.span(3, 4, 0));
        assertThatThrownBy(() -> Parts.spans(new String[] {"B-ORG"}, List.of("PER")))
                .hasMessageContaining("'ORG' is not among [PER]");
        assertThat(Parts.arcHead(Parts.arc(3, 7))).isEqualTo(3);
        assertThat(Parts.arcDep(Parts.arc(3, 7))).isEqualTo(7);
    }

    @Test
    void comparisonTablePutsTheBaselineBeside() {
        Alternatives s = Alternatives.of(Parts.arcs(new int[] {0, 1}),
                List.of(tree(.5, 0, 0), tree(.3, 2, 0), tree(.2, 0, 1)));
        AmbiguityResult sparse = AmbiguityEvaluator.evaluate("arc", List.of(s));
        List<Alternatives> kb = AmbiguityEvaluator.kBestBaseline(List.of(s), 1.4);
        assertThat(kb.get(0).supportSize()).isEqualTo(1);
        AmbiguityResult oneBest = AmbiguityEvaluator.evaluate("arc", kb);
        assertThat(oneBest.oracle()).isEqualTo(oneBest.top1());
        String t = sparse.compare("SparseMAP", oneBest, "1-best");
        LOG.info("comparison table:\n{}", t);
        assertThat(t.lines().findFirst().orElseThrow()).contains("SparseMAP").contains("1-best");
        assertThat(t).contains("1 / 1 (100.00%)").contains("0 / 1 (0.00%)");
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> Alternatives.of(new long[0], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Alternative(-1, new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Alternatives(new long[0], List.of(new Alternative(1, new long[0])),
                Map.of(1L, 1.5))).hasMessageContaining("outside [0, 1]");
    }

    /** Weights drawn at bin centres, each part right with probability equal to its weight. */
    private static List<Alternatives> synthetic(long seed, boolean calibrated) {
        Random rnd = new Random(seed);
        List<Alternatives> out = new ArrayList<>();
        for (int s = 0; s < 2000; s++) {
            Map<Long, Double> weights = new HashMap<>();
            List<Long> gold = new ArrayList<>();
            long[] parts = new long[10];
            for (int p = 0; p < 10; p++) {
                double w = (rnd.nextInt(10) + 0.5) / 10;
                parts[p] = p;
                weights.put((long) p, w);
                double pRight = calibrated ? w : w * w;
                if (rnd.nextDouble() < pRight) {
                    gold.add((long) p);
                }
            }
            out.add(new Alternatives(gold.stream().mapToLong(Long::longValue).toArray(),
                    List.of(new Alternative(1, parts)), weights));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void calibratedWeightsHaveNearZeroEceAndOverconfidentOnesDoNot(long seed) {
        double calibrated = AmbiguityEvaluator.evaluate("part", synthetic(seed, true)).ece();
        double over = AmbiguityEvaluator.evaluate("part", synthetic(seed, false)).ece();
        assertThat(calibrated).isLessThan(0.02);
        // right with probability w² instead of w: expected gap E[w − w²] = .5 − .3325 = .1675
        assertThat(over).isCloseTo(0.1675, within(0.02));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24})
    void oracleNeverFallsBelowTopOneOnRandomTrees(long seed) {
        Random rnd = new Random(seed);
        List<Alternatives> corpus = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            int n = 1 + rnd.nextInt(8);
            int[] gold = randomHeads(rnd, n);
            List<Alternative> alts = new ArrayList<>();
            int k = 1 + rnd.nextInt(6);
            for (int a = 0; a < k; a++) {
                alts.add(new Alternative(rnd.nextDouble(), Parts.arcs(rnd.nextInt(4) == 0 ? gold
                        : randomHeads(rnd, n))));
            }
            corpus.add(Alternatives.of(Parts.arcs(gold), alts));
        }
        AmbiguityResult r = AmbiguityEvaluator.evaluate("arc", corpus);
        assertThat(r.oracle().correct()).isGreaterThanOrEqualTo(r.top1().correct());
        assertThat(r.oracle().f1()).isGreaterThanOrEqualTo(r.top1().f1());
        assertThat(r.oracle().f1()).isCloseTo(r.oracle().recall(), within(1e-12)); // oracle F1 = oracle UAS
        assertThat(r.goldInSupportWhenTopWrong()).isLessThanOrEqualTo(r.topWrong());
        assertThat(r.goldInSupport()).isEqualTo(r.exactTop() + r.goldInSupportWhenTopWrong());
        assertThat(java.util.Arrays.stream(r.supportHistogram()).sum()).isEqualTo(100);
        for (Alternatives s : corpus) {
            double total = s.partWeights().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(total).isCloseTo(s.gold().length, within(1e-9)); // marginals of a tree sum to n
        }
        AmbiguityResult top1 = AmbiguityEvaluator.evaluate("arc", corpus.stream().map(x -> x.topK(1)).toList());
        assertThat(top1.oracle()).isEqualTo(r.top1());
        assertThat(top1.meanSupport()).isEqualTo(1.0);
        assertThat(AmbiguityEvaluator.evaluate("arc", corpus)).isEqualTo(r).hasSameHashCodeAs(r);
    }

    private static int[] randomHeads(Random rnd, int n) {
        int[] h = new int[n];
        for (int i = 0; i < n; i++) {
            h[i] = rnd.nextInt(n + 1);
        }
        return h;
    }
}
