package io.github.sparsestruct.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NerEvaluatorTest {
    private static String[] t(String s) {
        return s.split(" ");
    }

    /**
     * Hand count. Gold: s1 PER[0,2) LOC[3,4); s2 ORG[1,4); s3 LOC[0,1) PER[2,3) = PER 2, LOC 2, ORG 1.
     * Predicted: s1 PER[0,2) ✓, ORG[3,4) ✗; s2 ORG[1,3) ✗ (boundary); s3 LOC[0,1) ✓ (I- after sentence start
     * opens an entity), PER[2,3) ✓ = PER 2/2, ORG 0/2, LOC 1/1. Tags equal: 3 + 3 + 2 of 11.
     */
    @Test
    void threeSentencesScoreAsCountedByHand() {
        NerResult r = NerEvaluator.evaluate(
                List.of(t("B-PER I-PER O B-LOC"), t("O B-ORG I-ORG I-ORG"), t("B-LOC O B-PER")),
                List.of(t("B-PER I-PER O B-ORG"), t("O B-ORG I-ORG O"), t("I-LOC O B-PER")));
        assertThat(r.overall()).isEqualTo(new PrfCounts(5, 5, 3));
        assertThat(r.overall().precision()).isCloseTo(0.6, within(1e-12));
        assertThat(r.overall().recall()).isCloseTo(0.6, within(1e-12));
        assertThat(r.f1()).isCloseTo(0.6, within(1e-12));
        assertThat(r.byType()).containsOnlyKeys("LOC", "ORG", "PER");
        assertThat(r.byType().get("PER")).isEqualTo(new PrfCounts(2, 2, 2));
        assertThat(r.byType().get("LOC")).isEqualTo(new PrfCounts(2, 1, 1));
        assertThat(r.byType().get("LOC").f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.byType().get("ORG")).isEqualTo(new PrfCounts(1, 2, 0));
        assertThat(r.byType().get("ORG").f1()).isZero();
        assertThat(r.tokens()).isEqualTo(11);
        assertThat(r.tagAccuracy()).isCloseTo(8.0 / 11, within(1e-12));

        ObjectNode j = r.toJson();
        assertThat(j.get("overall").get("f1").asDouble()).isCloseTo(0.6, within(1e-12));
        assertThat(j.get("types").get("ORG").get("predicted").asLong()).isEqualTo(2);
        String table = r.table();
        assertThat(table).contains("overall").contains("60.00").contains("66.67").contains("72.73");
        assertThat(table.lines().filter(l -> l.startsWith("LOC") || l.startsWith("overall")).map(String::length)
                .distinct().count()).isEqualTo(1);
    }

    @Test
    void spansFollowConllevalChunkRules() {
        assertThat(NerEvaluator.spans(t("B-PER I-LOC O I-ORG I-ORG B-ORG")))
                .containsExactly(new Span(0, 1, "PER"), new Span(1, 2, "LOC"), new Span(3, 5, "ORG"),
                        new Span(5, 6, "ORG"));
        assertThat(NerEvaluator.spans(t("O O"))).isEmpty();
        assertThat(NerEvaluator.spans(new String[0])).isEmpty();
        assertThat(NerEvaluator.spans(t("B-LOC E-LOC S-LOC O I-PER E-PER")))
                .containsExactly(new Span(0, 2, "LOC"), new Span(2, 3, "LOC"), new Span(4, 6, "PER"));
        assertThat(NerEvaluator.spans(t("B-MISC-X I-MISC-X"))).containsExactly(new Span(0, 2, "MISC-X"));
        assertThatThrownBy(() -> NerEvaluator.spans(t("O PER"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'PER' at token 1");
    }

    @Test
    void bioesConvertsToIob2WithTheSameSpans() {
        String[] bioes = t("S-PER B-LOC I-LOC E-LOC O U-ORG B-PER L-PER");
        String[] iob2 = NerEvaluator.bioesToIob2(bioes);
        assertThat(iob2).containsExactly("B-PER", "B-LOC", "I-LOC", "I-LOC", "O", "B-ORG", "B-PER", "I-PER");
        List<Span> expected = List.of(new Span(0, 1, "PER"), new Span(1, 4, "LOC"), new Span(5, 6, "ORG"),
                new Span(6, 8, "PER"));
        assertThat(NerEvaluator.spans(iob2)).isEqualTo(expected);
        assertThat(NerEvaluator.spans(bioes)).isEqualTo(expected);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThatThrownBy(() -> new NerEvaluator().add(t("O O"), t("O")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 tags, prediction 1");
    }

    private static String[] randomTags(Random rnd, int n) {
        String[] types = {"PER", "LOC", "ORG"};
        String[] tags = new String[n];
        String prev = null;
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(4);
            if (r == 0) {
                tags[i] = "O";
                prev = null;
            } else if (r == 1 && prev != null) {
                tags[i] = "I-" + prev;
            } else {
                prev = types[rnd.nextInt(3)];
                tags[i] = "B-" + prev;
            }
        }
        if (NerEvaluator.spans(tags).isEmpty()) {
            tags[0] = "B-PER";
        }
        return tags;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void goldAgainstGoldScoresOneAndSwappingSidesSwapsPrecisionAndRecall(long seed) {
        Random rnd = new Random(seed);
        List<String[]> gold = new ArrayList<>();
        List<String[]> pred = new ArrayList<>();
        for (int s = 0; s < 50; s++) {
            int n = 1 + rnd.nextInt(15);
            gold.add(randomTags(rnd, n));
            pred.add(randomTags(rnd, n));
        }
        NerResult self = NerEvaluator.evaluate(gold, gold);
        assertThat(self.f1()).isEqualTo(1.0);
        assertThat(self.tagAccuracy()).isEqualTo(1.0);
        self.byType().values().forEach(c -> assertThat(c.f1()).isEqualTo(1.0));

        NerResult ab = NerEvaluator.evaluate(gold, pred);
        NerResult ba = NerEvaluator.evaluate(pred, gold);
        assertThat(ab.overall().precision()).isEqualTo(ba.overall().recall());
        assertThat(ab.overall().recall()).isEqualTo(ba.overall().precision());
        assertThat(ab.f1()).isCloseTo(ba.f1(), within(1e-12));
        assertThat(ab.f1()).isBetween(0.0, 1.0);
    }
}
